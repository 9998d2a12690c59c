/// A PostgreSQL type, identified by its OID (`pg_type.oid`).
///
/// Only built-in types have fixed OIDs; user-defined types (enums, citext) get OIDs at
/// `firstUserOID` and above, which differ between databases.
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Lets the server infer the type from context, as for an untyped literal.
    public static let unspecified = PostgresDataType(0)
    public static let bool = PostgresDataType(16)
    public static let bytea = PostgresDataType(17)
    public static let char = PostgresDataType(18)
    public static let name = PostgresDataType(19)
    public static let int8 = PostgresDataType(20)
    public static let int2 = PostgresDataType(21)
    public static let int4 = PostgresDataType(23)
    public static let text = PostgresDataType(25)
    public static let oid = PostgresDataType(26)
    public static let json = PostgresDataType(114)
    public static let float4 = PostgresDataType(700)
    public static let float8 = PostgresDataType(701)
    public static let unknown = PostgresDataType(705)
    public static let boolArray = PostgresDataType(1000)
    public static let int2Array = PostgresDataType(1005)
    public static let int4Array = PostgresDataType(1007)
    public static let textArray = PostgresDataType(1009)
    public static let varcharArray = PostgresDataType(1015)
    public static let int8Array = PostgresDataType(1016)
    public static let bpchar = PostgresDataType(1042)
    public static let varchar = PostgresDataType(1043)
    public static let date = PostgresDataType(1082)
    public static let timestamp = PostgresDataType(1114)
    public static let timestamptz = PostgresDataType(1184)
    public static let interval = PostgresDataType(1186)
    public static let numeric = PostgresDataType(1700)
    public static let uuid = PostgresDataType(2950)
    public static let jsonb = PostgresDataType(3802)
    public static let inet = PostgresDataType(869)
    public static let cidr = PostgresDataType(650)

    /// `FirstNormalObjectId` in PostgreSQL's `transam.h`: OIDs below are built in.
    public static let firstUserOID: UInt32 = 16384

    /// Whether this is a type created in the database (enum, domain over a user type, extension type).
    public var isUserDefined: Bool { rawValue >= Self.firstUserOID }

    /// The SQL name for the built-in types this layer knows, else `oid N`.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .bool: "boolean"
        case .bytea: "bytea"
        case .char: "\"char\""
        case .name: "name"
        case .int8: "bigint"
        case .int2: "smallint"
        case .int4: "integer"
        case .text: "text"
        case .oid: "oid"
        case .json: "json"
        case .float4: "real"
        case .float8: "double precision"
        case .unknown: "unknown"
        case .boolArray: "boolean[]"
        case .int2Array: "smallint[]"
        case .int4Array: "integer[]"
        case .textArray: "text[]"
        case .varcharArray: "character varying[]"
        case .int8Array: "bigint[]"
        case .bpchar: "character"
        case .varchar: "character varying"
        case .date: "date"
        case .timestamp: "timestamp without time zone"
        case .timestamptz: "timestamp with time zone"
        case .interval: "interval"
        case .numeric: "numeric"
        case .uuid: "uuid"
        case .jsonb: "jsonb"
        case .inet: "inet"
        case .cidr: "cidr"
        default: isUserDefined ? "user-defined type (oid \(rawValue))" : "oid \(rawValue)"
        }
    }
}
