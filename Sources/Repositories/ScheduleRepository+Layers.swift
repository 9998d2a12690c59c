import Domain
import Foundation
import Postgres

extension ScheduleRepository {
    /// The layers of schedule `scheduleID` in order, with participants and anchors.
    func layers(scheduleID: Int64) throws -> [ScheduleLayer] {
        try connection.query(
            """
            SELECT l.id, l.name, l.rotation, l.length, l.start_local::text AS start_local, l.restriction_days,
                   l.restriction_from_minute, l.restriction_to_minute, l.anchor_handoff, l.anchor_position,
                   ARRAY(SELECT p.user_id FROM schedule_layer_participants p
                         WHERE p.layer_id = l.id ORDER BY p.position) AS participants
            FROM schedule_layers l WHERE l.schedule_id = \(scheduleID) ORDER BY l.ordinal
            """
        ).map(Self.layer)
    }

    /// Stores `layers` in order; a layer with an id keeps it (an edited layer), the rest get
    /// new ones.
    func insertLayers(_ layers: [ScheduleLayer], scheduleID: Int64) throws {
        for (ordinal, layer) in layers.enumerated() {
            let restriction = layer.restriction
            let days = restriction.map { $0.days.sorted().map(\.name) }
            let rows = try connection.query(
                """
                INSERT INTO schedule_layers (
                    id, schedule_id, ordinal, name, rotation, length, start_local, restriction_days,
                    restriction_from_minute, restriction_to_minute, anchor_handoff, anchor_position)
                VALUES (
                    COALESCE(\(layer.id), nextval('schedule_layers_id_seq')), \(scheduleID), \(ordinal), \(layer.name),
                    \(layer.rotation.rawValue), \(layer.length), \(layer.start.description)::timestamp, \(days),
                    \(restriction?.fromMinute), \(restriction?.toMinute), \(layer.anchor.handoff),
                    \(layer.anchor.position))
                RETURNING id
                """)
            let layerID: Int64 = try rows[0].decode("id")
            if !layer.participants.isEmpty {
                do {
                    try connection.execute(
                        """
                        INSERT INTO schedule_layer_participants (layer_id, position, user_id)
                        SELECT \(layerID), p.ordinality - 1, p.user_id
                        FROM unnest(\(layer.participants)::bigint[]) WITH ORDINALITY AS p(user_id, ordinality)
                        """)
                } catch let error as PostgresError
                    where error.isForeignKeyViolation(constraint: "schedule_layer_participants_user_fk")
                {
                    // Checked before, deleted by a concurrent request since.
                    throw ValidationError(
                        field: "layers[\(ordinal)].participants",
                        message: "names a user that was just deleted")
                }
            }
        }
    }

    static func layer(_ row: PostgresRow) throws -> ScheduleLayer {
        let startText: String = try row.decode("start_local")
        let rotationText: String = try row.decode("rotation")
        guard let start = LocalDateTime(parsing: startText),
            let rotation = RotationKind(rawValue: rotationText)
        else {
            throw PostgresError(
                .decoding, message: "schedule_layers row has start \(startText), rotation \(rotationText)")
        }
        var restriction: LayerRestriction?
        if let days: [String] = try row.decode("restriction_days"),
            let from: Int = try row.decode("restriction_from_minute"),
            let to: Int = try row.decode("restriction_to_minute")
        {
            // The table's CHECKs hold the same rules as LayerRestriction's precondition.
            restriction = LayerRestriction(
                days: Set(days.compactMap(Weekday.init(parsing:))), fromMinute: from, toMinute: to)
        }
        return ScheduleLayer(
            id: try row.decode("id"), name: try row.decode("name"), rotation: rotation,
            length: try row.decode("length"),
            start: start, participants: try row.decode("participants"), restriction: restriction,
            anchor: RotationAnchor(
                handoff: try row.decode("anchor_handoff"), position: try row.decode("anchor_position")))
    }
}
