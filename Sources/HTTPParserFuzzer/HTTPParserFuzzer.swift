import HTTPServer

/// libFuzzer's entry point for the HTTP request parser (`HTTPParserFuzzing.check`). Built with
/// `swift build -c release --sanitize=fuzzer --sanitize=address --product HTTPParserFuzzer`
/// (scripts/reliability/fuzz.sh); without the fuzzer, `main` replays the files it is given
/// (CFuzzerReplay), so a plain build links too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HTTPParserFuzzing.check(UnsafeBufferPointer(start: data, count: size))
    return 0
}
