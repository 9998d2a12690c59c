import Foundation

/// A validated `PATCH /schedules/{id}`: each field nil when untouched. `layers`, when given,
/// replaces the whole list; a layer that names a stored layer (by `id`, else by `name`) keeps
/// its rotation position as ``ScheduleLayer/rebasedAnchor(editing:at:oldZone:newZone:)`` says.
public struct SchedulePatch: Sendable, Hashable {
    public let name: String?
    public let zone: ScheduleZone?
    public let layers: [ScheduleLayer]?

    public static func validate(
        name: String?, timeZone: String?, layers: [LayerInput]?, knownUsers: Set<Int64>
    ) throws(ValidationError) -> SchedulePatch {
        var check = Validator()
        let name =
            name == nil ? nil : check.required("name", name, maxLength: ScheduleDefinition.maxNameLength)
        let zone = timeZone == nil ? nil : ScheduleDefinition.checkZone("time_zone", timeZone, into: &check)
        let layers = layers.map { ScheduleDefinition.checkLayers($0, knownUsers: knownUsers, into: &check) }
        try check.finish()
        return SchedulePatch(name: name, zone: zone, layers: layers)
    }

    /// The stored layers after this patch at `now`, with ids and anchors settled: a layer that
    /// names a stored one (by id, else by name) keeps that id and rebases its anchor; the rest
    /// are new. Throws a validation error for an `id` that is not one of `stored`.
    public static func merge(
        _ edited: [ScheduleLayer], into stored: [ScheduleLayer], oldZone: ScheduleZone, newZone: ScheduleZone,
        at now: Date
    ) throws(ValidationError) -> [ScheduleLayer] {
        var check = Validator()
        var claimed: Set<Int64> = []
        var result: [ScheduleLayer] = []
        for (index, var layer) in edited.enumerated() {
            var old: ScheduleLayer?
            if let id = layer.id {
                old = stored.first { $0.id == id }
                check.check(old != nil, "layers[\(index)].id", "is not a layer of this schedule")
            } else {
                old = stored.first {
                    $0.name.lowercased() == layer.name.lowercased() && !claimed.contains($0.id ?? -1)
                }
            }
            if let oldID = old?.id, !claimed.insert(oldID).inserted {
                check.add("layers[\(index)].id", "names a layer already given")
            }
            layer.id = old?.id
            layer.anchor = layer.rebasedAnchor(editing: old, at: now, oldZone: oldZone, newZone: newZone)
            result.append(layer)
        }
        try check.finish()
        return result
    }
}

extension ScheduleDefinition {
    /// New layers' anchors: every rotation starts with its first participant at `start`.
    public var layersWithFreshAnchors: [ScheduleLayer] {
        layers.map { layer in
            var fresh = layer
            fresh.id = nil
            fresh.anchor = .start
            return fresh
        }
    }
}
