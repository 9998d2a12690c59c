import Domain
import Foundation

/// A zone the tests name; a typo is a test bug.
func zone(_ identifier: String) -> ScheduleZone {
    guard let zone = ScheduleZone(identifier: identifier) else {
        preconditionFailure("no zone \(identifier)")
    }
    return zone
}

/// A wall time from `YYYY-MM-DDTHH:MM:SS`.
func wall(_ text: String) -> LocalDateTime {
    guard let local = LocalDateTime(parsing: text) else { preconditionFailure("bad wall time \(text)") }
    return local
}

/// A layer with the usual defaults.
func layer(
    _ rotation: RotationKind, length: Int = 1, start: String, participants: [Int64],
    restriction: LayerRestriction? = nil, anchor: RotationAnchor = .start, name: String = "layer"
) -> ScheduleLayer {
    ScheduleLayer(
        name: name, rotation: rotation, length: length, start: wall(start), participants: participants,
        restriction: restriction, anchor: anchor)
}
