import Foundation

/// How long a failed delivery waits before its next attempt (SPEC §9,
/// `INCIDENTD_DELIVERY_BACKOFF`, default `5s,30s,2m,10m,30m,1h,3h,6h`): the n-th delay follows
/// the n-th failed attempt; after the last, the delivery is dead.
public struct DeliveryBackoff: Sendable, Hashable {
    /// Seconds, in order.
    public let delays: [TimeInterval]

    /// SPEC §9's schedule: nine attempts over about ten and a half hours.
    public static let standard = DeliveryBackoff(delays: [5, 30, 120, 600, 1800, 3600, 10_800, 21_600])
    /// The environment variable that sets it.
    public static let environmentVariable = "INCIDENTD_DELIVERY_BACKOFF"

    public init(delays: [TimeInterval]) { self.delays = delays }

    /// Parses a comma-separated list of durations (`500ms`, `5s`, `2m`, `1h`, `1d`, or bare
    /// seconds); nil when any part is not one or the list is empty.
    public init?(parsing text: String) {
        var delays: [TimeInterval] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let seconds = Self.duration(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            delays.append(seconds)
        }
        guard !delays.isEmpty else { return nil }
        self.delays = delays
    }

    /// The wait after failed attempt `attempt` (1-based), or nil when that was the last one.
    public func delay(afterAttempt attempt: Int) -> TimeInterval? {
        attempt >= 1 && attempt <= delays.count ? delays[attempt - 1] : nil
    }

    /// Attempts a delivery gets in all: the first, then one per delay.
    public var maxAttempts: Int { delays.count + 1 }

    private static func duration(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite else {
                return nil
            }
            return value * scale
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return value
    }
}
