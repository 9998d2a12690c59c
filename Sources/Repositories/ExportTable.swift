/// A table as the export and import see it (SPEC §8): its columns (those that hold data, not
/// cluster positions or generated values) and its primary key, in foreign-key order.
public struct ExportTable: Sendable, Hashable {
    public let name: String
    public let columns: [String]
    public let primaryKey: [String]
    /// Columns filled from a sequence (`bigserial`): advanced after an import.
    public let sequenceColumns: [String]

    public init(name: String, columns: [String], primaryKey: [String], sequenceColumns: [String]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.sequenceColumns = sequenceColumns
    }
}
