/// An ordered list of header fields with case-insensitive name lookup (RFC 9110 §5.1).
///
/// Field lines keep their order and original spelling; repeated names are kept as separate
/// entries, so a caller can tell one `Host` from two.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable,
    CustomStringConvertible
{
    /// One field line.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    public init() { fields = [] }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }
    public var description: String { fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n") }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value for `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        for field in fields where Self.equalsIgnoringCase(field.name, name) { return field.value }
        return nil
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field line, keeping any existing ones with the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field called `name` with one field line.
    public mutating func set(name: String, value: String) {
        remove(name: name)
        fields.append(Field(name: name, value: value))
    }

    public mutating func remove(name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    mutating func reserveCapacity(_ capacity: Int) { fields.reserveCapacity(capacity) }

    /// Whether a comma-separated header such as `Connection` lists `token` (RFC 9110 §5.6.1).
    public func containsToken(_ token: String, in name: String) -> Bool {
        for field in fields where Self.equalsIgnoringCase(field.name, name) {
            for element in field.value.utf8.split(separator: UInt8(ascii: ",")) {
                let trimmed = element.trimmingOWS()
                if trimmed.count == token.utf8.count
                    && Self.equalsIgnoringCase(trimmed, token.utf8)
                {
                    return true
                }
            }
        }
        return false
    }

    /// ASCII case-insensitive comparison; header names are ASCII tokens (RFC 9110 §5.1).
    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        // Native strings are contiguous UTF-8: compare the buffers (every header lookup comes
        // here, and the iterator walk showed in the cached-poll profile).
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where left[index] != right[index] {
                    guard ByteClass.lowercased(left[index]) == ByteClass.lowercased(right[index]) else {
                        return false
                    }
                }
                return true
            }
        }
        if let fast, let equal = fast { return equal }
        return equalsIgnoringCase(lhs.utf8, rhs.utf8)
    }

    static func equalsIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ lhs: A, _ rhs: B) -> Bool {
        var right = rhs.makeIterator()
        for left in lhs {
            guard let other = right.next(), ByteClass.lowercased(left) == ByteClass.lowercased(other) else {
                return false
            }
        }
        return right.next() == nil
    }
}

extension BidirectionalCollection<UInt8> where SubSequence == Self {
    /// Drops optional whitespace (SP / HTAB, RFC 9110 §5.6.3) from both ends.
    func trimmingOWS() -> SubSequence {
        var slice = self[...]
        while let first = slice.first, ByteClass.isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, ByteClass.isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }
}
