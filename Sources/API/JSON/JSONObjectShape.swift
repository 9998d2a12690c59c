import Foundation

/// A JSON object of the API whose members are listed once, in ``visitMembers(_:)``, for both
/// renderers: `JSONEncoder` (when it is part of a larger `Encodable` answer) and
/// ``JSONShapeWriter`` (the hot paths: ingest answers, the dashboards' incident list), which
/// writes bytes without boxing every value. One definition of the fields, two ways to print it.
///
/// Members are visited in sorted key order: the encoder sorts anyway (`.sortedKeys`), and the
/// byte writer prints in visiting order, so both print the same bytes.
protocol JSONObjectShape: Encodable {
    func visitMembers<Visitor: JSONMemberVisitor>(_ visitor: inout Visitor)
}

/// What a ``JSONObjectShape`` can hold. Absent optionals are explicit nulls (SPEC §3: clients see
/// every field) unless visited with ``memberIfPresent(_:_:)``.
protocol JSONMemberVisitor {
    mutating func member(_ key: StaticString, _ value: String?)
    mutating func member(_ key: StaticString, _ value: Int64?)
    mutating func member(_ key: StaticString, _ value: Bool)
    mutating func member(_ key: StaticString, _ value: Date?)
    mutating func member(_ key: StaticString, _ value: [String])
    /// A nested object of the same kind.
    mutating func member(_ key: StaticString, _ object: some JSONObjectShape)
    /// A nested object, or `null`.
    mutating func member(_ key: StaticString, nullable object: (some JSONObjectShape)?)
    /// An array of nested objects.
    mutating func member(_ key: StaticString, objects: [some JSONObjectShape])
    /// A JSON value, with its text when PostgreSQL already gave it (jsonb's own spelling:
    /// copied through by the byte writer instead of being encoded again).
    mutating func member(_ key: StaticString, json value: some Encodable, storedText: String?)
    /// Any other encodable value (cold members: the byte writer encodes it with `JSONEncoder`).
    mutating func member(_ key: StaticString, encoded value: some Encodable)
    /// A member only present when non-nil (`deduplicated` of trigger answers).
    mutating func memberIfPresent(_ key: StaticString, _ value: Bool?)
}

extension JSONObjectShape {
    func encode(to encoder: any Encoder) throws {
        var visitor = EncodingVisitor(container: encoder.container(keyedBy: ShapeKey.self))
        visitMembers(&visitor)
        if let error = visitor.error { throw error }
    }
}

/// A member name as a coding key.
private struct ShapeKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(_ key: StaticString) { stringValue = key.description }
}

/// Renders a shape through `JSONEncoder`'s keyed container (the first error wins).
private struct EncodingVisitor: JSONMemberVisitor {
    var container: KeyedEncodingContainer<ShapeKey>
    var error: (any Error)?

    private mutating func put(
        _ key: StaticString, _ encode: (inout KeyedEncodingContainer<ShapeKey>) throws -> Void
    ) {
        guard error == nil else { return }
        do { try encode(&container) } catch { self.error = error }
    }

    mutating func member(_ key: StaticString, _ value: String?) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, _ value: Int64?) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, _ value: Bool) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, _ value: Date?) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, _ value: [String]) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, _ object: some JSONObjectShape) {
        put(key) { try $0.encode(object, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, nullable object: (some JSONObjectShape)?) {
        put(key) { try $0.encode(object, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, objects: [some JSONObjectShape]) {
        put(key) { try $0.encode(objects, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, json value: some Encodable, storedText: String?) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func member(_ key: StaticString, encoded value: some Encodable) {
        put(key) { try $0.encode(value, forKey: ShapeKey(key)) }
    }
    mutating func memberIfPresent(_ key: StaticString, _ value: Bool?) {
        put(key) { try $0.encodeIfPresent(value, forKey: ShapeKey(key)) }
    }
}
