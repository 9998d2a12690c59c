/// What the response cache tracks changes of (ADR 0006): every read route declares the
/// families its answer is made of, every write the families it changes, in `Routes.swift`.
/// A cached answer stays current while none of its families changed in this process.
///
/// A family is what a reader can see, not a table: an alert that belongs to an incident is
/// shown on the incident's page and in its post-mortem, so a change to it is an `incidents`
/// change as well as an `alerts` one.
public struct ResourceFamilies: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Alerts and their timelines.
    public static let alerts = ResourceFamilies(rawValue: 1 << 0)
    /// Incidents, their services and timelines, and the alerts that belong to them (rows and
    /// timeline entries): what incident pages, lists and post-mortems render.
    public static let incidents = ResourceFamilies(rawValue: 1 << 1)
    /// Post-mortems and their action items.
    public static let postMortems = ResourceFamilies(rawValue: 1 << 2)
    /// Services, their integrations and their timelines (change events).
    public static let services = ResourceFamilies(rawValue: 1 << 3)
    /// API keys.
    public static let apiKeys = ResourceFamilies(rawValue: 1 << 4)
    /// The audit log: every write and every refusal adds to it.
    public static let audit = ResourceFamilies(rawValue: 1 << 5)

    /// How many families there are (the bits above).
    static let count = 6

    /// Every family: the safe declaration for a route nobody has described more precisely.
    public static let all = ResourceFamilies(rawValue: (1 << count) - 1)

    /// Calls `body` with the index (`0..<count`) of each family in this set; allocates nothing
    /// (the response cache runs it on every cached answer).
    func forEachIndex(_ body: (Int) -> Void) {
        var bits = rawValue
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
    }
}
