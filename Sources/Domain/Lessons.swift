/// Seed 003's "Lessons Learned": what went well, what went wrong, where we got lucky.
/// Encoded with the JSON names `went_well`, `went_wrong`, `got_lucky`.
public struct Lessons: Sendable, Hashable, Codable {
    public var wentWell: String?
    public var wentWrong: String?
    public var gotLucky: String?

    public init(wentWell: String? = nil, wentWrong: String? = nil, gotLucky: String? = nil) {
        self.wentWell = wentWell
        self.wentWrong = wentWrong
        self.gotLucky = gotLucky
    }

    enum CodingKeys: String, CodingKey {
        case wentWell = "went_well"
        case wentWrong = "went_wrong"
        case gotLucky = "got_lucky"
    }
}
