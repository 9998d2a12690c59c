/// The parts of an absolute `scheme://[user[:password]@]host[:port][/path][?query]` URL that
/// an outbound client needs. The fragment is dropped; a bracketed IPv6 host loses its brackets.
public struct OutboundURL: Sendable, Equatable {
    /// Lowercased (`https`, `smtp`).
    public let scheme: String
    /// Percent-decoded user name and password, when the URL carries them.
    public let user: String?
    public let password: String?
    /// Lowercased host name, or the address text of an IP literal (IPv6 without brackets).
    public let host: String
    /// The port written in the URL, if any.
    public let port: Int?
    /// Path and query as written (`/hooks/a?b=c`), `/` when empty: the HTTP request target.
    public let target: String

    /// Parses `text`; throws `.invalidURL` saying what is wrong.
    public init(_ text: String) throws(OutboundError) {
        guard let separator = text.firstRange(of: "://") else {
            throw OutboundError(.invalidURL, "not an absolute URL (scheme://host/...)")
        }
        scheme = String(text[..<separator.lowerBound]).lowercased()
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { throw OutboundError(.invalidURL, "malformed scheme") }
        var rest = text[separator.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        // RFC 9112 §3.2: the request target is visible ASCII; spaces and controls would let a
        // URL inject a header.
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw OutboundError(
                .invalidURL, "the path or query has spaces, controls or non-ASCII (percent-encode them)")
        }
        target = path.isEmpty ? "/" : (path.first == "?" ? "/" + path : String(path))
        (user, password) = try Self.userInfo(&authority)
        (host, port) = try Self.hostAndPort(authority)
    }

    /// `host` as it goes in a URL authority or a Host header (IPv6 in brackets).
    public var hostForURI: String { host.contains(":") ? "[\(host)]" : host }

    /// Percent-decoded values of the query's `name=value` pairs, in order.
    public var queryItems: [(name: String, value: String)] {
        guard let mark = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: mark)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            return (Self.percentDecoded(String(parts[0])) ?? "", Self.percentDecoded(value) ?? "")
        }
    }

    public static func == (lhs: OutboundURL, rhs: OutboundURL) -> Bool {
        lhs.scheme == rhs.scheme && lhs.user == rhs.user && lhs.password == rhs.password
            && lhs.host == rhs.host && lhs.port == rhs.port && lhs.target == rhs.target
    }

    private static func userInfo(_ authority: inout Substring) throws(OutboundError) -> (String?, String?) {
        guard let at = authority.lastIndex(of: "@") else { return (nil, nil) }
        let info = authority[..<at]
        authority = authority[authority.index(after: at)...]
        let parts = info.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let user = percentDecoded(String(parts[0])) else {
            throw OutboundError(.invalidURL, "bad percent-encoding in the user name")
        }
        guard parts.count == 2 else { return (user, nil) }
        guard let password = percentDecoded(String(parts[1])) else {
            throw OutboundError(.invalidURL, "bad percent-encoding in the password")
        }
        return (user, password)
    }

    private static func hostAndPort(_ authority: Substring) throws(OutboundError) -> (String, Int?) {
        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw OutboundError(.invalidURL, "unclosed [ in host")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw OutboundError(.invalidURL, "text after ] in host") }
                portPart = after.dropFirst()
            }
            guard let address = IPAddress(String(hostPart)), !address.isIPv4 else {
                throw OutboundError(.invalidURL, "[\(hostPart)] is not an IPv6 address")
            }
            hostPart = Substring(address.description)
        } else {
            if let colon = authority.lastIndex(of: ":") {
                portPart = authority[authority.index(after: colon)...]
                hostPart = authority[..<colon]
            } else {
                hostPart = authority
            }
            // RFC 3986 reg-name, without percent-encoding (no resolver wants it).
            guard !hostPart.isEmpty,
                hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) })
            else { throw OutboundError(.invalidURL, "'\(hostPart)' is not a host name or address") }
        }
        guard let portPart else { return (hostPart.lowercased(), nil) }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portPart), (1...65535).contains(port)
        else { throw OutboundError(.invalidURL, "port '\(portPart)' is not 1 to 65535") }
        return (hostPart.lowercased(), port)
    }

    /// `%XX` decoded as UTF-8; nil for a broken escape or invalid UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
