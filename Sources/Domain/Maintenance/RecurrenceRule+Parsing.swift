extension RecurrenceRule {
    /// Why a rule text was refused: one sentence for the client (the API names the field `rrule`).
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// What the subset accepts, for error messages.
    static let subset = "FREQ=DAILY|WEEKLY, INTERVAL, BYDAY, BYHOUR, BYMINUTE"

    /// RFC 5545 rule parts outside the subset: refused by name rather than as unknown.
    static let unsupportedParts: Set<String> = [
        "COUNT", "UNTIL", "BYSECOND", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "WKST",
    ]

    /// Parses `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0` (RFC 5545 §3.3.10 `recur`, the subset of
    /// SPEC §12). Part names and values are case-insensitive, parts may come in any order, each at
    /// most once, and a leading `RRULE:` is allowed. Anything else is refused with a sentence
    /// that says what: a part outside the subset, a value out of range, a `BYDAY` ordinal.
    public static func parse(_ text: String) -> Result<RecurrenceRule, ParseError> {
        func failure(_ message: String) -> Result<RecurrenceRule, ParseError> {
            .failure(ParseError(message: message))
        }
        var body = text.trimmingWhitespaceAndNewlines()
        guard !body.isEmpty else { return failure("is required") }
        guard body.unicodeScalars.count <= maxLength else {
            return failure("must be at most \(maxLength) characters")
        }
        if body.uppercased().hasPrefix("RRULE:") { body = String(body.dropFirst(6)) }
        var values: [String: String] = [:]
        var parts = body.split(separator: ";", omittingEmptySubsequences: false)
        // A trailing `;` is harmless.
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        for part in parts {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                return failure("must be NAME=VALUE parts separated by ';' (\(subset)), not '\(part)'")
            }
            let name = pieces[0].trimmingWhitespaceAndNewlines().uppercased()
            if unsupportedParts.contains(name) {
                return failure("\(name) is not supported; the rule may use \(subset)")
            }
            guard ["FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE"].contains(name) else {
                return failure("\(name) is not an RFC 5545 rule part this server knows; use \(subset)")
            }
            guard values[name] == nil else { return failure("names \(name) twice") }
            values[name] = pieces[1].trimmingWhitespaceAndNewlines().uppercased()
        }
        guard let frequencyText = values["FREQ"] else {
            return failure("must have FREQ=DAILY or FREQ=WEEKLY")
        }
        guard let frequency = Frequency(rawValue: frequencyText) else {
            return failure("FREQ must be DAILY or WEEKLY, not \(frequencyText)")
        }
        var interval = 1
        if let text = values["INTERVAL"] {
            guard let value = wholeNumber(text), (1...maxInterval).contains(value) else {
                return failure("INTERVAL must be a whole number from 1 to \(maxInterval)")
            }
            interval = value
        }
        var days: [Weekday] = []
        if let text = values["BYDAY"] {
            switch parseDays(text) {
            case .success(let parsed): days = parsed
            case .failure(let error): return .failure(error)
            }
        }
        guard let hours = numbers(values["BYHOUR"], range: 0...23) else {
            return failure("BYHOUR must be a list of hours from 0 to 23")
        }
        guard let minutes = numbers(values["BYMINUTE"], range: 0...59) else {
            return failure("BYMINUTE must be a list of minutes from 0 to 59")
        }
        return .success(
            RecurrenceRule(
                frequency: frequency, interval: interval, days: days, hours: hours, minutes: minutes))
    }

    /// `MO,WE,FR`; ordinals (`1MO`, `-1SU`) belong to monthly and yearly rules, outside the subset.
    private static func parseDays(_ text: String) -> Result<[Weekday], ParseError> {
        var days: [Weekday] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let code = item.trimmingWhitespaceAndNewlines()
            if let day = Weekday.allCases.first(where: { Self.code($0) == code }) {
                days.append(day)
            } else if code.count > 2, Weekday.allCases.contains(where: { code.hasSuffix(Self.code($0)) }) {
                return .failure(
                    ParseError(
                        message:
                            "BYDAY=\(code): ordinal days need FREQ=MONTHLY or YEARLY, which are not supported"
                    ))
            } else {
                return .failure(ParseError(message: "BYDAY must be a list of MO, TU, WE, TH, FR, SA, SU"))
            }
        }
        return .success(days)
    }

    /// A comma list of whole numbers in `range`; empty for no text, nil for bad text.
    private static func numbers(_ text: String?, range: ClosedRange<Int>) -> [Int]? {
        guard let text else { return [] }
        var values: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = wholeNumber(item.trimmingWhitespaceAndNewlines()), range.contains(value) else {
                return nil
            }
            values.append(value)
        }
        return values
    }

    /// ASCII digits only (no sign, no spaces), at most 4 of them.
    private static func wholeNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 4, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int(text)
    }
}
