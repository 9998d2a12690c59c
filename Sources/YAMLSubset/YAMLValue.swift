/// A value read from the YAML subset `YAMLParser` accepts: what JSON can say, with mapping
/// keys in document order (so the JSON form reads like the YAML).
public indirect enum YAMLValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as JSON text (`42`, `-1`, `0.5`, `1e300`), never rounded through a Double.
    case number(String)
    case string(String)
    case sequence([YAMLValue])
    case mapping([YAMLEntry])
}

/// One `key: value` of a mapping; keys are always strings (JSON's rule).
public struct YAMLEntry: Sendable, Equatable {
    public let key: String
    public let value: YAMLValue

    public init(key: String, value: YAMLValue) {
        self.key = key
        self.value = value
    }
}
