#!/usr/bin/env bash
# Fuzzes the HTTP request parser with libFuzzer: Sources/HTTPParserFuzzer drives
# HTTPParserFuzzing.check (no crash, overflow or out-of-bounds under ASan, and the same requests
# and verdict whether the bytes come at once, in two pieces or one by one).
#
#   scripts/reliability/fuzz.sh [RUNS]        default 10,000,000 executions
#   scripts/reliability/fuzz.sh --merge       minimise new finds into the committed corpus
#
# Starts from scripts/reliability/corpus/http-parser (committed); new inputs go to a scratch
# folder. A crash leaves its input in .build-fuzz/crashes/ and exits non-zero; replay it with
# `.build/debug/HTTPParserFuzzer FILE` (a plain build replays files instead of fuzzing).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=scripts/reliability/corpus/http-parser
# SwiftPM passes `-sanitize=fuzzer -sanitize=address` as two flags and swiftc keeps only the
# last, so library modules (HTTPServer) lost their coverage counters (14 counters, no feedback):
# the combined flag, last on the line, keeps both.
swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
    --product HTTPParserFuzzer --scratch-path .build-fuzz
fuzzer=.build-fuzz/release/HTTPParserFuzzer
mkdir -p .build-fuzz/crashes .build-fuzz/found
# NOTES.md: without this a crash hangs in the Swift backtracer instead of failing.
export SWIFT_BACKTRACE=enable=no
if [[ ${1:-} == --merge ]]; then
    # The fewest inputs that cover every edge found (114 files, 15 KB after the 10 M run).
    exec "$fuzzer" -set_cover_merge=1 -use_counters=0 "$corpus" .build-fuzz/found
fi
runs=${1:-10000000}
exec "$fuzzer" .build-fuzz/found "$corpus" -runs="$runs" -max_len=2048 -print_final_stats=1 \
    -artifact_prefix=.build-fuzz/crashes/
