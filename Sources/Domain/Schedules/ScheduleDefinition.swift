/// A validated schedule: name, zone and layers (SPEC §10 `POST /schedules`). Layers carry the
/// client's `id` when one was given; anchors are set when the layers are stored.
public struct ScheduleDefinition: Sendable, Hashable {
    public let name: String
    public let zone: ScheduleZone
    public let layers: [ScheduleLayer]

    public static let maxNameLength = 100
    public static let maxLayers = 20  // 422 beyond

    /// Checks every field at once. `knownUsers` are the participant ids that exist (the caller
    /// looks them up); any other id is an issue naming its place, `layers[0].participants[2]`.
    public static func validate(
        name: String?, timeZone: String?, layers: [LayerInput]?, knownUsers: Set<Int64>
    ) throws(ValidationError) -> ScheduleDefinition {
        var check = Validator()
        let name = check.required("name", name, maxLength: maxNameLength)
        let zone = checkZone("time_zone", timeZone, into: &check)
        let layers = checkLayers(layers ?? [], knownUsers: knownUsers, into: &check)
        guard check.isValid, let name, let zone else { throw check.error }
        return ScheduleDefinition(name: name, zone: zone, layers: layers)
    }

    /// A required IANA zone name.
    public static func checkZone(_ field: String, _ text: String?, into check: inout Validator)
        -> ScheduleZone?
    {
        guard let text = Validator.trimmed(text) else {
            check.add(field, "is required")
            return nil
        }
        guard let zone = ScheduleZone(identifier: text) else {
            check.add(field, "must be an IANA time zone name such as Europe/London or UTC")
            return nil
        }
        return zone
    }

    /// The layers, in order; names must be unique (PATCH matches layers by name).
    public static func checkLayers(
        _ inputs: [LayerInput], knownUsers: Set<Int64>, into check: inout Validator
    )
        -> [ScheduleLayer]
    {
        if inputs.count > maxLayers { check.add("layers", "must have at most \(maxLayers) layers") }
        var layers: [ScheduleLayer] = []
        var names: Set<String> = []
        for (index, input) in inputs.prefix(maxLayers).enumerated() {
            let field = "layers[\(index)]"
            guard let layer = checkLayer(input, index: index, knownUsers: knownUsers, into: &check) else {
                continue
            }
            if !names.insert(layer.name.lowercased()).inserted {
                check.add("\(field).name", "must be unique within the schedule")
            }
            layers.append(layer)
        }
        return layers
    }

    private static func checkLayer(
        _ input: LayerInput, index: Int, knownUsers: Set<Int64>, into check: inout Validator
    ) -> ScheduleLayer? {
        let field = "layers[\(index)]"
        let name =
            input.name == nil
            ? "Layer \(index + 1)"
            : check.required("\(field).name", input.name, maxLength: ScheduleLayer.maxNameLength)
        let rotation = check.oneOf(
            "\(field).rotation", input.rotation, allowed: RotationKind.allCases.map(\.rawValue)
        ) { RotationKind(rawValue: $0.lowercased()) }
        let length = input.length ?? 1
        check.check(
            (1...ScheduleLayer.maxLength).contains(length), "\(field).length",
            "must be a whole number from 1 to \(ScheduleLayer.maxLength) (units of the rotation)")
        var start: LocalDateTime?
        if let text = Validator.trimmed(input.start) {
            start = LocalDateTime(parsing: text)
            check.check(
                start != nil, "\(field).start",
                "must be a local wall time YYYY-MM-DDTHH:MM:SS (no zone; years \(LocalDateTime.years.lowerBound)–\(LocalDateTime.years.upperBound))"
            )
        } else {
            check.add("\(field).start", "is required")
        }
        let participants = input.participants ?? []
        checkParticipants(participants, field: "\(field).participants", knownUsers: knownUsers, into: &check)
        let restriction = input.restriction.flatMap {
            LayerRestriction.validate($0, field: "\(field).restriction", into: &check)
        }
        guard let name, let rotation, let start, (1...ScheduleLayer.maxLength).contains(length) else {
            return nil
        }
        return ScheduleLayer(
            id: input.id, name: name, rotation: rotation, length: length, start: start,
            participants: participants, restriction: restriction)
    }

    private static func checkParticipants(
        _ participants: [Int64], field: String, knownUsers: Set<Int64>, into check: inout Validator
    ) {
        if participants.count > ScheduleLayer.maxParticipants {
            check.add(field, "must have at most \(ScheduleLayer.maxParticipants) participants")
        }
        var seen: Set<Int64> = []
        for (index, user) in participants.enumerated() {
            if !knownUsers.contains(user) {
                check.add("\(field)[\(index)]", "no user \(user) exists")
            } else if !seen.insert(user).inserted {
                check.add("\(field)[\(index)]", "user \(user) is already in this layer")
            }
        }
    }
}
