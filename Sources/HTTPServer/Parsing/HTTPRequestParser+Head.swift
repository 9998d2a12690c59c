extension HTTPRequestParser {
    /// Reads the request line (RFC 9112 §3), skipping a few empty lines before it (§2.2).
    mutating func parseRequestLineStep(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Step {
        switch nextLine(input, at: offset) {
        case .incomplete:
            // RFC 9112 §3: a server that receives a request-target longer than it will parse
            // answers 414; refuse as soon as the unfinished line is over the limit.
            if input.count - offset > limits.maxRequestLineBytes { return .fail(.requestLineTooLong) }
            // A method already over its limit is refused without waiting for the line's end.
            if Self.startsWithOverlongMethod(UnsafeBufferPointer(rebasing: input[offset...])) {
                return .fail(.methodTooLong)
            }
            return .stop(offset, .needMore)
        case .bareLineFeed:
            return .fail(.invalidLineEnding)
        case .complete(let start, let end, let next):
            if next - start > limits.maxRequestLineBytes { return .fail(.requestLineTooLong) }
            if start == end {
                leadingEmptyLines += 1
                return leadingEmptyLines > Self.maxLeadingEmptyLines
                    ? .fail(.invalidRequestLine) : .advance(next)
            }
            if let error = parseRequestLine(UnsafeBufferPointer(rebasing: input[start..<end])) {
                return .fail(error)
            }
            state = .headers
            return .advance(next)
        }
    }

    /// Reads one field line, or the empty line that ends the header section.
    mutating func parseHeaderStep(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Step {
        switch nextLine(input, at: offset) {
        case .incomplete:
            if headerBytes + (input.count - offset) > limits.maxHeaderBytes { return .fail(.headersTooLarge) }
            return .stop(offset, .needMore)
        case .bareLineFeed:
            return .fail(.invalidLineEnding)
        case .complete(let start, let end, let next):
            if start == end { return finishHead(at: next) }
            headerBytes += next - start
            if headerBytes > limits.maxHeaderBytes { return .fail(.headersTooLarge) }
            if headers.count >= limits.maxHeaderCount { return .fail(.headersTooLarge) }
            switch Self.parseFieldLine(UnsafeBufferPointer(rebasing: input[start..<end])) {
            case .success(let field): headers.add(name: field.name, value: field.value)
            case .failure(let error): return .fail(error)
            }
            return .advance(next)
        }
    }

    /// `method SP request-target SP HTTP-version` (RFC 9112 §3), single spaces, no controls.
    mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        guard let firstSpace = line.firstIndex(of: 0x20), let lastSpace = line.lastIndex(of: 0x20),
            firstSpace > 0, lastSpace > firstSpace + 1
        else { return .invalidRequestLine }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])
        guard methodBytes.allSatisfy(ByteClass.isTokenCharacter) else { return .invalidRequestLine }
        guard methodBytes.count <= HTTPLimits.maxMethodBytes else { return .methodTooLong }
        guard let (major, minor) = Self.parseVersion(versionBytes) else { return .invalidRequestLine }
        guard targetBytes.allSatisfy(ByteClass.isTargetCharacter) else { return .invalidTarget }
        method = HTTPMethod.parse(methodBytes)
        // RFC 9113 §3.4: the HTTP/2 preface starts with this request line.
        if major == 2 && minor == 0 && method.rawValue == "PRI" && targetBytes.elementsEqual("*".utf8) {
            return .http2Preface
        }
        // RFC 9110 §6.2: a higher minor version of a major version we implement is treated
        // as the highest minor we implement; any other major version is refused with 505.
        guard major == 1 else { return .unsupportedVersion }
        version = minor == 0 ? .http1_0 : .http1_1
        return parseTarget(targetBytes)
    }

    /// Whether the unfinished request line starts with more token bytes than any method
    /// may have (`HTTPLimits.maxMethodBytes`), with no space yet.
    static func startsWithOverlongMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > HTTPLimits.maxMethodBytes else { return false }
        return bytes[0...HTTPLimits.maxMethodBytes].allSatisfy(ByteClass.isTokenCharacter)
    }

    /// `HTTP/DIGIT.DIGIT` (RFC 9112 §2.3), case-sensitive.
    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        guard bytes.count == 8, bytes[0..<5].elementsEqual("HTTP/".utf8), ByteClass.isDigit(bytes[5]),
            bytes[6] == UInt8(ascii: "."), ByteClass.isDigit(bytes[7])
        else { return nil }
        return (Int(bytes[5] - 0x30), Int(bytes[7] - 0x30))
    }

    /// Splits the request-target into path and query (RFC 9112 §3.2): origin-form, absolute-form
    /// (`http://host/path`, which a server MUST accept, §3.2.2) and asterisk-form for OPTIONS.
    mutating func parseTarget(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        target = String(decoding: bytes, as: UTF8.self)
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "*") {
            guard method == .options else { return .invalidTarget }
            path = "*"
            return nil
        }
        var pathStart = 0
        if bytes[0] != UInt8(ascii: "/") {
            guard let afterScheme = Self.absoluteFormAuthorityStart(bytes) else { return .invalidTarget }
            pathStart = bytes[afterScheme...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        }
        // RFC 9112 §3.2: a fragment is not part of a request-target.
        if bytes.contains(UInt8(ascii: "#")) { return .invalidTarget }
        let queryStart = bytes[pathStart...].firstIndex(of: UInt8(ascii: "?"))
        let rawPath = bytes[pathStart..<(queryStart ?? bytes.count)]
        guard let decoded = rawPath.isEmpty ? "/" : PercentDecoding.decode(rawPath, plusAsSpace: false),
            !decoded.utf8.contains(0)
        else { return .invalidTarget }
        path = decoded
        if let queryStart, queryStart + 1 < bytes.count {
            query = QueryParameters(parsingBytes: bytes[(queryStart + 1)...])
        }
        return nil
    }

    /// The index after `http://` or `https://` (scheme case-insensitive), or nil.
    static func absoluteFormAuthorityStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for scheme in ["http://", "https://"] where bytes.count > scheme.utf8.count {
            if HTTPHeaders.equalsIgnoringCase(bytes[0..<scheme.utf8.count], scheme.utf8) {
                return scheme.utf8.count
            }
        }
        return nil
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    static func parseFieldLine(_ line: UnsafeBufferPointer<UInt8>) -> Result<
        HTTPHeaders.Field, HTTPParseError
    > {
        // RFC 9112 §5.2: a server MUST reject obs-fold with 400 (or replace it; we reject).
        if ByteClass.isWhitespace(line[0]) { return .failure(.obsoleteLineFolding) }
        var colon = 0
        while colon < line.count && ByteClass.isTokenCharacter(line[colon]) { colon += 1 }
        guard colon < line.count, colon > 0 else { return .failure(.invalidHeaderName) }
        if line[colon] != UInt8(ascii: ":") {
            // RFC 9112 §5.1: no whitespace is allowed between the field name and colon; a
            // server MUST reject such a message with 400.
            if ByteClass.isWhitespace(line[colon]) { return .failure(.whitespaceBeforeColon) }
            return .failure(.invalidHeaderName)
        }
        let value = UnsafeBufferPointer(rebasing: line[(colon + 1)...]).trimmingOWSBuffer()
        // RFC 9110 §5.5: NUL, CR, LF and other controls in a field value MUST be rejected or
        // replaced; we reject.
        guard value.allSatisfy(ByteClass.isFieldValueCharacter) else { return .failure(.invalidHeaderValue) }
        return .success(
            HTTPHeaders.Field(
                name: String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self),
                value: String(decoding: value, as: UTF8.self)))
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The buffer without leading and trailing SP / HTAB.
    func trimmingOWSBuffer() -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = count
        while start < end && ByteClass.isWhitespace(self[start]) { start += 1 }
        while end > start && ByteClass.isWhitespace(self[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }
}
