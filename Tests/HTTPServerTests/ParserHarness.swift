@testable import HTTPServer

/// Drives `HTTPRequestParser` the way a connection does: carries unconsumed bytes over to
/// the next chunk.
struct ParserHarness {
    enum Outcome {
        case request(HTTPRequest)
        case error(HTTPParseError)
    }

    var parser: HTTPRequestParser
    var carried: [UInt8] = []
    var outcomes: [Outcome] = []
    var continueRequests = 0

    init(limits: HTTPLimits = HTTPLimits()) {
        parser = HTTPRequestParser(limits: limits)
    }

    /// Feeds `bytes`, recording every complete request and the first error.
    mutating func feed(_ bytes: [UInt8]) {
        carried += bytes
        while true {
            let (consumed, event) = carried.withUnsafeBufferPointer { parser.parse($0) }
            carried.removeFirst(consumed)
            switch event {
            case .needMore: return
            case .headReceived(let expectsContinue): if expectsContinue { continueRequests += 1 }
            case .complete(let request): outcomes.append(.request(request))
            case .failed(let error):
                outcomes.append(.error(error))
                return
            }
        }
    }

    /// Parses `text` in one go and returns the outcomes.
    static func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> [Outcome] {
        parse(Array(text.utf8), limits: limits)
    }

    static func parse(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> [Outcome] {
        var harness = ParserHarness(limits: limits)
        harness.feed(bytes)
        return harness.outcomes
    }

    /// The single request `text` parses to, or nil.
    static func request(_ text: String) -> HTTPRequest? {
        guard case .request(let request)? = parse(text).first else { return nil }
        return request
    }

    /// The error `bytes` are refused with, or nil.
    static func error(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPParseError? {
        for case .error(let error) in parse(bytes, limits: limits) { return error }
        return nil
    }

    static func error(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPParseError? {
        error(Array(text.utf8), limits: limits)
    }
}
