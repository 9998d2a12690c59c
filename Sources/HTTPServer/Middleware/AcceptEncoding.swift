/// Reads `Accept-Encoding` (RFC 9110 §12.5.3) for the one coding we produce, gzip.
enum AcceptEncoding {
    /// Whether the request accepts a gzip-coded response: `gzip` (or its alias `x-gzip`,
    /// RFC 9110 §8.4.1.3) listed with a non-zero weight, or `*` with a non-zero weight and no
    /// explicit gzip entry. `gzip;q=0` means "not acceptable". No field: identity only —
    /// §12.5.3 lets a server assume any coding is fine, but a client that cannot inflate
    /// would be broken and the saving is small.
    static func acceptsGzip(_ fieldValues: some Sequence<String>) -> Bool {
        var gzipWeight: Int?
        var wildcardWeight: Int?
        for value in fieldValues {
            var rest = Substring(value).utf8
            while !rest.isEmpty {
                let member = next(in: &rest, separator: UInt8(ascii: ","))
                var parameters = member
                let coding = next(in: &parameters, separator: UInt8(ascii: ";")).trimmingOWS()
                guard !coding.isEmpty else { continue }
                var weight = 1000
                while !parameters.isEmpty {
                    let parameter = next(in: &parameters, separator: UInt8(ascii: ";"))
                    if let parsed = qValue(parameter.trimmingOWS()) { weight = parsed }
                }
                if HTTPHeaders.equalsIgnoringCase(coding, "gzip".utf8)
                    || HTTPHeaders.equalsIgnoringCase(coding, "x-gzip".utf8)
                {
                    gzipWeight = max(gzipWeight ?? 0, weight)
                } else if coding.elementsEqual("*".utf8) {
                    wildcardWeight = max(wildcardWeight ?? 0, weight)
                }
            }
        }
        return (gzipWeight ?? wildcardWeight ?? 0) > 0
    }

    /// The bytes of `rest` up to `separator`; `rest` moves past it. Slicing only: no
    /// arrays are built while reading a header on every request.
    private static func next(in rest: inout Substring.UTF8View, separator: UInt8) -> Substring.UTF8View {
        let end = rest.firstIndex(of: separator) ?? rest.endIndex
        let piece = rest[..<end]
        rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        return piece
    }

    /// The weight in thousandths from a `q=0.5` parameter (RFC 9110 §12.4.2: `0` to `1`,
    /// at most three decimals); nil when the parameter is not a well-formed `q`. A
    /// malformed weight is ignored, leaving the default of 1.
    static func qValue(_ parameter: Substring.UTF8View) -> Int? {
        guard parameter.count >= 3,
            ByteClass.lowercased(parameter[parameter.startIndex]) == UInt8(ascii: "q"),
            parameter[parameter.index(after: parameter.startIndex)] == UInt8(ascii: "=")
        else { return nil }
        let number = parameter.dropFirst(2)
        guard let first = number.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else {
            return nil
        }
        var weight = Int(first - UInt8(ascii: "0")) * 1000
        let rest = number.dropFirst()
        if rest.isEmpty { return weight }
        guard rest.first == UInt8(ascii: "."), rest.count <= 4 else { return nil }
        var scale = 100
        for byte in rest.dropFirst() {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            weight += Int(byte - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return weight <= 1000 ? weight : nil
    }
}
