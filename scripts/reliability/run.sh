#!/usr/bin/env bash
# The reliability battery against a release build: raw HTTP cases, then slow and idle clients
# with a probe. Starts `incidentd serve` on its own embedded PostgreSQL in a scratch folder and
# stops it afterwards. Figures from a run are in docs/RELIABILITY.md.
#
#   scripts/reliability/run.sh [--connections N]     (default 200 per attacker; about 80 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
swift build -c release --product incidentd
WORK=$(mktemp -d /tmp/incidentd-reliability.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres and must reach its folder
PORT=${PORT:-18780}
.build/release/incidentd serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    >"$WORK/stdout.log" 2>"$WORK/incidentd.log" &
server=$!
trap 'stop_bench "$server"' EXIT
# First start: initdb, the cluster and the migrations take a while on a busy machine.
up=false
for _ in $(seq 1 1200); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then up=true; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if ! $up; then
    log "incidentd did not start:"
    tail -n 20 "$WORK/incidentd.log" >&2
    exit 1
fi
log "raw HTTP cases"
python3 scripts/reliability/http_cases.py --port "$PORT"
log "slow and idle clients"
python3 scripts/reliability/slow_clients.py --port "$PORT" "$@"
