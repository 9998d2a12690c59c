/// What an event is about (SPEC §8 `subject: {kind, id, ref}`).
public struct EventSubject: Sendable, Hashable {
    /// `alert`, `incident`, `postmortem`, `delivery`, `channel`, ...
    public var kind: String
    public var id: Int64?
    /// The ref clients know it by (`INC-42`, `ALR-7`), nil for kinds without refs.
    public var ref: String?

    public init(kind: String, id: Int64?, ref: String?) {
        self.kind = kind
        self.id = id
        self.ref = ref
    }

    /// Alert `id` (`ALR-<id>`).
    public static func alert(_ id: Int64) -> EventSubject {
        EventSubject(kind: "alert", id: id, ref: EntityRef.alert(id).description)
    }

    /// Incident `id` (`INC-<id>`).
    public static func incident(_ id: Int64) -> EventSubject {
        EventSubject(kind: "incident", id: id, ref: EntityRef.incident(id).description)
    }

    /// Post-mortem `id` (no ref of its own; the event's data names the incident).
    public static func postMortem(_ id: Int64) -> EventSubject {
        EventSubject(kind: "postmortem", id: id, ref: nil)
    }

    /// Delivery `id` (SPEC §14: `delivery.dead` has subject `{kind: "delivery", id}`).
    public static func delivery(_ id: Int64) -> EventSubject {
        EventSubject(kind: "delivery", id: id, ref: nil)
    }

    /// Maintenance window `id` (`MW-<id>`): `maintenance.started`, `maintenance.ended`.
    public static func maintenanceWindow(_ id: Int64) -> EventSubject {
        EventSubject(kind: "maintenance_window", id: id, ref: EntityRef.maintenanceWindow(id).description)
    }

    /// Channel `id` (the `test` event).
    public static func channel(_ id: Int64) -> EventSubject {
        EventSubject(kind: "channel", id: id, ref: nil)
    }
}
