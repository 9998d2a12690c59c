#if canImport(Glibc)
    import Glibc
#endif

/// The `Date` header line (RFC 9110 §6.6.1, IMF-fixdate), formatted at most once per second
/// per event loop, without Foundation formatters.
struct HTTPDateCache {
    private(set) var headerLine: [UInt8] = []
    private var second: Int = -1

    /// The line `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n` for the current second.
    mutating func line() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            headerLine = Array("Date: \(Self.imfFixdate(now))\r\n".utf8)
        }
        return headerLine
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func imfFixdate(_ seconds: Int) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
