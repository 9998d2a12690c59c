/// Decoded `name=value` pairs of a query string or an `application/x-www-form-urlencoded`
/// body, in order, with repeated names kept (`?status=open&status=acked`).
public struct QueryParameters: Sendable, Sequence, Equatable {
    /// One decoded pair.
    public struct Pair: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public private(set) var pairs: [Pair]

    public init() { pairs = [] }

    /// Parses `a=1&b=two+words&c=%2F`: `+` is a space and `%XX` is decoded (WHATWG URL
    /// §5.1); a name without `=` gets an empty value; empty pieces (`a=1&&b=2`) are skipped.
    public init(parsing encoded: String) {
        self.init(parsingBytes: Array(encoded.utf8))
    }

    init<C: Collection<UInt8>>(parsingBytes encoded: C) where C.SubSequence: Collection<UInt8> {
        pairs = []
        for piece in encoded.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                let name = piece[piece.startIndex..<equals]
                let value = piece[piece.index(after: equals)...]
                pairs.append(
                    Pair(
                        name: PercentDecoding.decodeLeniently(name, plusAsSpace: true),
                        value: PercentDecoding.decodeLeniently(value, plusAsSpace: true)))
            } else {
                pairs.append(Pair(name: PercentDecoding.decodeLeniently(piece, plusAsSpace: true), value: ""))
            }
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func makeIterator() -> IndexingIterator<[Pair]> { pairs.makeIterator() }

    /// The first value for `name` (names are case-sensitive).
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}
