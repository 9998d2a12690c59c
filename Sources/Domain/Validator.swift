import Foundation

/// Collects field issues while input is checked, then throws them all at once.
///
/// Text helpers trim surrounding whitespace, treat an empty result as absent, count length in
/// Unicode scalars (the unit of PostgreSQL `char_length`, so a limit here matches the
/// database's CHECK), and always reject U+0000, which PostgreSQL `text` cannot store.
///
/// ```swift
/// var check = Validator()
/// let title = check.required("title", input.title, maxLength: Incident.maxTitleLength)
/// let when = check.notInFuture("occurred_at", input.occurredAt, now: now)
/// guard check.isValid, let title else { throw check.error }
/// ```
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    /// True while no issue has been recorded.
    public var isValid: Bool { issues.isEmpty }

    /// The recorded issues as an error (a generic one if, unexpectedly, there are none).
    public var error: ValidationError { ValidationError(issues) }

    /// Throws the recorded issues, if any.
    public func finish() throws(ValidationError) {
        if !issues.isEmpty { throw error }
    }

    /// Records an issue.
    public mutating func add(_ field: String, _ message: String) {
        issues.append(FieldIssue(field: field, message: message))
    }

    /// Records `message` for `field` unless `condition` holds; returns `condition`.
    @discardableResult
    public mutating func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String)
        -> Bool
    {
        if !condition { add(field, message()) }
        return condition
    }

    /// A required text field: trimmed, non-empty, within `maxLength`. Nil (with an issue) if bad.
    public mutating func required(
        _ field: String, _ value: String?, maxLength: Int, singleLine: Bool = true
    ) -> String? {
        guard let text = Self.trimmed(value) else {
            add(field, "is required")
            return nil
        }
        return checkedText(field, text, maxLength: maxLength, singleLine: singleLine)
    }

    /// An optional text field: nil when absent or blank, else checked like ``required(_:_:maxLength:singleLine:)``.
    public mutating func optional(
        _ field: String, _ value: String?, maxLength: Int, singleLine: Bool = false
    ) -> String? {
        guard let text = Self.trimmed(value) else { return nil }
        return checkedText(field, text, maxLength: maxLength, singleLine: singleLine)
    }

    /// A patch field: nil when absent (untouched); blank means `.clear` when `clearable`,
    /// else it is an issue ("must not be empty").
    public mutating func update(
        _ field: String, _ value: String?, maxLength: Int, singleLine: Bool = false, clearable: Bool = true
    ) -> FieldUpdate<String>? {
        guard let value else { return nil }
        guard let text = Self.trimmed(value) else {
            if clearable { return .clear }
            add(field, "must not be empty")
            return nil
        }
        return checkedText(field, text, maxLength: maxLength, singleLine: singleLine).map { .set($0) }
    }

    /// A value from a fixed set, parsed by `parse`; an issue lists `allowed` when it fails.
    /// Absent or blank input returns `defaultValue` (an issue "is required" when that is nil).
    public mutating func oneOf<Value>(
        _ field: String, _ value: String?, allowed: [String], default defaultValue: Value? = nil,
        parse: (String) -> Value?
    ) -> Value? {
        guard let text = Self.trimmed(value) else {
            if defaultValue == nil { add(field, "is required") }
            return defaultValue
        }
        guard let parsed = parse(text) else {
            add(field, "must be one of: \(allowed.joined(separator: ", "))")
            return nil
        }
        return parsed
    }

    /// A timestamp that must not be later than `now` plus `allowedSkew` seconds; passes nil
    /// through. The skew absorbs clocks of clients a few seconds ahead of ours.
    public mutating func notInFuture(
        _ field: String, _ date: Date?, now: Date, allowedSkew: TimeInterval = Validator.allowedClockSkew
    ) -> Date? {
        guard let date else { return nil }
        guard date <= now.addingTimeInterval(allowedSkew) else {
            add(field, "must not be in the future")
            return nil
        }
        return date
    }

    /// How far ahead of the server's clock a client timestamp may be (seconds) before it counts
    /// as "in the future": 5 s covers NTP-synced hosts and request latency.
    public static let allowedClockSkew: TimeInterval = 5

    /// `value` without surrounding whitespace, or nil when nothing is left.
    public static func trimmed(_ value: String?) -> String? {
        guard let value else { return nil }
        let text = value.trimmingWhitespaceAndNewlines()
        return text.isEmpty ? nil : text
    }

    /// What is wrong with `text`, or nil when it is acceptable.
    public static func textProblem(_ text: String, maxLength: Int, singleLine: Bool) -> String? {
        var length = 0
        for scalar in text.unicodeScalars {
            length += 1
            if scalar.value == 0 { return "must not contain NUL characters" }
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            if isControl && singleLine { return "must be a single line without control characters" }
            if isControl && scalar != "\n" && scalar != "\r" && scalar != "\t" {
                return "must not contain control characters"
            }
        }
        return length > maxLength ? "must be at most \(maxLength) characters" : nil
    }

    private mutating func checkedText(_ field: String, _ text: String, maxLength: Int, singleLine: Bool)
        -> String?
    {
        if let problem = Self.textProblem(text, maxLength: maxLength, singleLine: singleLine) {
            add(field, problem)
            return nil
        }
        return text
    }
}
