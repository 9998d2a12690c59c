/// Entity tags and the `If-None-Match` precondition (RFC 9110 §8.8.3, §13.1.2).
enum EntityTag {
    /// `"0123456789abcdef"` (strong, 16 lowercase hex digits) with `suffix` before the closing
    /// quote, e.g. `-gzip` for the gzip representation of the same content (§8.8.3: each
    /// representation of a resource has its own strong validator).
    static func strong(hash: UInt64, suffix: String = "") -> String {
        let suffixBytes = suffix.utf8
        return String(unsafeUninitializedCapacity: 18 + suffixBytes.count) { buffer in
            let digits: StaticString = "0123456789abcdef"
            buffer[0] = UInt8(ascii: "\"")
            var value = hash
            for index in stride(from: 16, through: 1, by: -1) {
                buffer[index] = digits.utf8Start[Int(value & 0xF)]
                value >>= 4
            }
            var end = 17
            for byte in suffixBytes {
                buffer[end] = byte
                end += 1
            }
            buffer[end] = UInt8(ascii: "\"")
            return end + 1
        }
    }

    /// `tag` with `suffix` inserted before its closing quote; a weak tag (`W/"…"`) or a
    /// malformed one is returned unchanged (§8.8.1: a weak tag may be shared by
    /// representations that are semantically equivalent, as gzip and identity are).
    static func addingSuffix(_ suffix: String, to tag: String) -> String {
        guard tag.utf8.count >= 2, tag.utf8.first == UInt8(ascii: "\""), tag.utf8.last == UInt8(ascii: "\"")
        else { return tag }
        return String(tag.dropLast()) + suffix + "\""
    }

    /// Whether the `If-None-Match` field values match the current representation's `tag`,
    /// which means "do not send it again": 304 for GET and HEAD (§13.1.2). `*` matches any
    /// current representation. The comparison is weak (§8.8.3.2): `W/` prefixes are
    /// ignored on both sides. A malformed member stops the scan, and what was not matched
    /// by then counts as no match, so a bad header never produces a 304.
    static func ifNoneMatchMatches(_ fieldValues: some Sequence<String>, currentTag tag: String) -> Bool {
        let current = opaqueTag(tag.utf8[...])
        let plainTag = isPlainQuotedTag(tag)
        for value in fieldValues {
            // A dashboard sends back exactly the tag it got: one comparison of bytes, before
            // the member-by-member scan (whose slices showed in the cached-poll profile).
            if plainTag && value.utf8.elementsEqual(tag.utf8) { return true }
            var rest = value.utf8[...]
            while true {
                rest = rest.drop {
                    $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ",")
                }
                if rest.isEmpty { break }
                if rest.first == UInt8(ascii: "*") { return true }
                if rest.starts(with: "W/".utf8) { rest = rest.dropFirst(2) }
                guard rest.first == UInt8(ascii: "\""),
                    let close = rest.dropFirst().firstIndex(of: UInt8(ascii: "\""))
                else { break }
                let candidate = rest[...close]
                if let current, candidate.elementsEqual(current) { return true }
                rest = rest[rest.index(after: close)...]
            }
        }
        return false
    }

    /// `"…"` with no other quote inside: a value equal to it is that one tag, matched.
    private static func isPlainQuotedTag(_ tag: String) -> Bool {
        let utf8 = tag.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else {
            return false
        }
        return utf8.dropFirst().dropLast().allSatisfy { $0 != UInt8(ascii: "\"") }
    }

    /// The quoted opaque-tag of an entity-tag, without any `W/` prefix.
    private static func opaqueTag(_ tag: Substring.UTF8View) -> Substring.UTF8View? {
        let opaque = tag.starts(with: "W/".utf8) ? tag.dropFirst(2) : tag
        guard opaque.count >= 2, opaque.first == UInt8(ascii: "\""), opaque.last == UInt8(ascii: "\"") else {
            return nil
        }
        return opaque
    }
}

extension HTTPResponse {
    /// Sets `ETag` to the strong tag ``RepresentationMiddleware`` would compute from the body, for
    /// answers kept and served again (the API's response cache), so the hash is taken once.
    public mutating func setContentHashTag() {
        headers.set(name: "ETag", value: EntityTag.strong(hash: XXHash64.hash(body)))
    }
}

extension HTTPRequest {
    /// Whether this request's `If-None-Match` matches `tag` (RFC 9110 §13.1.2), for the few
    /// answers the representation middleware does not tag (not JSON or HTML): answer 304.
    public func ifNoneMatchMatches(_ tag: String) -> Bool {
        headers.contains("If-None-Match")
            && EntityTag.ifNoneMatchMatches(headers.lazyValues(for: "If-None-Match"), currentTag: tag)
    }
}
