/// The request parser as a fuzz target drives it (`Sources/HTTPParserFuzzer`): arbitrary bytes
/// in, invariants checked with `precondition`, so a broken one is a crash the fuzzer reports.
///
/// The invariant beyond "no crash, no overflow, no out-of-bounds" is differential: the same
/// bytes fed at once, in two pieces, and one byte at a time give the same requests and the same
/// verdict (a parser that depended on how reads happen to split would be a smuggling risk).
public enum HTTPParserFuzzing {
    /// What the parser made of some bytes, comparable across ways of feeding them.
    struct Outcome: Equatable {
        var requests: [[String]] = []
        var failed = false
    }

    /// Longest input also fed one byte at a time (quadratic: a partial line is searched again
    /// with every byte), so the fuzzer keeps its pace.
    static let maxBytewiseLength = 1024

    /// Parses `data` three ways and checks they agree; runs the other parsers of request input
    /// (chunk lines, percent-decoding, query strings, the NUL screening) over it too.
    public static func check(_ data: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(data)
        let whole = outcome(of: bytes, pieces: [bytes.count])
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        precondition(
            outcome(of: bytes, pieces: [split, bytes.count - split]) == whole, "split changes the outcome")
        if bytes.count <= maxBytewiseLength {
            let ones = [Int](repeating: 1, count: bytes.count)
            precondition(outcome(of: bytes, pieces: ones) == whole, "byte-by-byte changes the outcome")
        }
        _ = HTTPRequestParser.parseChunkSize(data)
        _ = PercentDecoding.decode(bytes, plusAsSpace: true)
        _ = QueryParameters(parsingBytes: bytes)
        _ = UnstorableText.nulFields(inJSON: bytes)
    }

    /// Feeds `bytes` in pieces of the given sizes, as a connection does (unconsumed bytes are
    /// kept and given again with the next piece).
    static func outcome(of bytes: [UInt8], pieces: [Int]) -> Outcome {
        var parser = HTTPRequestParser(limits: HTTPLimits())
        var result = Outcome()
        var carried: [UInt8] = []
        var offset = 0
        for size in pieces where !result.failed {
            carried += bytes[offset..<(offset + size)]
            offset += size
            while !result.failed {
                let (consumed, event) = carried.withUnsafeBufferPointer { parser.parse($0) }
                precondition(consumed <= carried.count, "consumed more than given")
                carried.removeFirst(consumed)
                switch event {
                case .needMore: break
                case .headReceived: continue
                case .complete(let request):
                    precondition(request.body.count <= HTTPLimits.defaultMaxBodyBytes, "body over the limit")
                    _ = RequestScreening.refusal(for: request)
                    result.requests.append(summary(request))
                    continue
                case .failed(let error):
                    precondition((400..<600).contains(error.status), "a refusal without an error status")
                    result.failed = true
                }
                break
            }
        }
        return result
    }

    static func summary(_ request: HTTPRequest) -> [String] {
        [request.method.rawValue, request.target, request.path, "\(request.version)"]
            + request.query.map { "\($0.name)=\($0.value)" }
            + request.headers.map { "\($0.name): \($0.value)" }
            + [String(decoding: request.body, as: UTF8.self), "\(request.body.count)"]
    }
}
