#!/usr/bin/env bash
# Live-stream benchmark (issue 18, docs/PERFORMANCE.md): two incidentd processes on one
# PostgreSQL (DATABASE_URL, required: a database incidentd may migrate and write to).
#   1. /healthz rate on A with wrk, no streams open;
#   2. N (1,000) streams held open on A: A's RSS, and the /healthz rate again;
#   3. cross-process latency: a stream on A, M alerts triggered through B, p50/p99/max.
# Usage: DATABASE_URL=postgresql://... bench/stream/run.sh [N] [M] [SECONDS]
# Needs wrk and python3. Builds release first. Never run it beside other load on the machine
# you care about; on a shared machine, say so next to the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL}"
streams=${1:-1000}
alerts=${2:-200}
seconds=${3:-10}
swift build -c release --product incidentd >/dev/null
bin=.build/release/incidentd
key=$("$bin" keys create --role admin --name "stream-bench-$$" | tail -1)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
PORT=18481 HOST=127.0.0.1 INCIDENTD_LOG_LEVEL=warning "$bin" serve >/dev/null 2>&1 & pids+=($!); a=$!
PORT=18482 HOST=127.0.0.1 INCIDENTD_LOG_LEVEL=warning "$bin" serve >/dev/null 2>&1 & pids+=($!)
for port in 18481 18482; do
  for _ in $(seq 100); do curl -sf "127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$a/status"; }
echo "A idle: RSS $(rss)"
echo "healthz without streams:"; wrk -t2 -c32 -d"${seconds}s" http://127.0.0.1:18481/healthz | grep -E "Requests/sec|Latency"
exec 3> >(python3 bench/stream/streams.py hold 18481 "$key" "$streams" > /tmp/stream-bench-ready.$$)
for _ in $(seq 600); do grep -q READY /tmp/stream-bench-ready.$$ 2>/dev/null && break; sleep 0.1; done
echo "$(cat /tmp/stream-bench-ready.$$) streams open on A: RSS $(rss)"
echo "healthz with $streams streams:"; wrk -t2 -c32 -d"${seconds}s" http://127.0.0.1:18481/healthz | grep -E "Requests/sec|Latency"
python3 bench/stream/streams.py latency 18481 18482 "$key" "$alerts"
echo "after the latency run, $streams streams still open on A: RSS $(rss)"
exec 3>&-
rm -f /tmp/stream-bench-ready.$$
