#!/usr/bin/env bash
# Instructions per request of incidentd's hot paths, counted by valgrind's callgrind (issue 21).
# Instruction counts are repeatable on a shared machine where time is not: the same binary and
# the same request mix give the same figure within a fraction of a percent.
#
# Usage: bench/callgrind/profile.sh BIN [OUT_DIR]     (loopback only)
#   BIN: a release build (`swift build -c release --product incidentd`).
# It makes a data folder with BIN itself (embedded PostgreSQL: a service, a viewer and a
# responder key, OPEN_INCIDENTS open incidents), restarts BIN under
# `valgrind --tool=callgrind --instr-atstart=no` on it (default access log on stderr, to a file),
# and for each phase warms up with WARMUP requests uncounted, then counts COUNT requests sent by
# bench/callgrind/drive.py:
#   healthz    GET /healthz, 1 connection
#   poll304    the dashboard poll with If-None-Match, answered 304 from the response cache, 1 conn
#   ingest1    durable alert ingest, new dedup keys, 1 connection (one alert per group commit)
#   ingest16   the same at 16 connections (group commit batches them)
# Prints instructions per request per phase (user space of the incidentd process, every thread:
# the jobs' threads too, which idle) and leaves one callgrind file per phase in OUT_DIR
# (default bench/results/callgrind-<time>/) for `callgrind_annotate --inclusive=yes`.
# Settings (environment): COUNT=2000 WARMUP=300 OPEN_INCIDENTS=50 PORT=18790 PHASES="healthz
# poll304 ingest1 ingest16". PostgreSQL (not under valgrind) keeps its durable defaults.
set -euo pipefail

BIN=$(realpath "${1:?usage: profile.sh BIN [OUT_DIR]}")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${2:-$ROOT/bench/results/callgrind-$(date -u +%Y%m%dT%H%M%SZ)}
COUNT=${COUNT:-2000}
WARMUP=${WARMUP:-300}
OPEN_INCIDENTS=${OPEN_INCIDENTS:-50}
PORT=${PORT:-18790}
PHASES=${PHASES:-healthz poll304 ingest1 ingest16}
START_TIMEOUT_S=300
POLL_PATH="/api/v1/incidents?status=open&limit=50"
WORK=$(mktemp -d /tmp/incidentd-callgrind.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

wait_ready() {
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; exit 1; }
        ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
        sleep 0.2
    done
}
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait_exit "$SERVER_PID" 120 || kill -KILL "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

log "first start (initdb + migrations), data set"
INCIDENTD_SLA_CHECK_INTERVAL=3600 "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    >"$WORK/stdout.log" 2>/dev/null &
SERVER_PID=$!
wait_ready
admin=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key"; exit 1; }
api() {
    curl -sS --fail-with-body -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        --data "$2" "http://127.0.0.1:$PORT$1"
}
key_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'; }
api /api/v1/services '{"name":"bench-ingest"}' >/dev/null
viewer=$(api /api/v1/api-keys '{"name":"dashboard","role":"viewer"}' | key_of)
responder=$(api /api/v1/api-keys '{"name":"ingest","role":"responder"}' | key_of)
for i in $(seq 1 "$OPEN_INCIDENTS"); do
    api /api/v1/incidents "{\"title\":\"Bench incident $i\",\"severity\":\"SEV3\"}" >/dev/null
done
stop_server

log "start under callgrind"
INCIDENTD_RESPONSE_CACHE_TTL_MS=60000 INCIDENTD_SLA_CHECK_INTERVAL=3600 valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$WORK/callgrind.out" --log-file="$WORK/valgrind.log" \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    >>"$WORK/stdout.log" 2>"$WORK/access.log" &
SERVER_PID=$!
wait_ready
etag=$(curl -sS -o /dev/null -D - -H "Authorization: Bearer $viewer" "http://127.0.0.1:$PORT$POLL_PATH" |
    awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')

# phase NAME KIND CONNS KEY: warm-up, then COUNT requests counted into their own dump.
phase() {
    local name=$1 kind=$2 conns=$3 key=${4:-}
    python3 "$HERE/drive.py" "$PORT" "$kind" "$WARMUP" "$conns" "$key" "$etag" "warm-$name" >/dev/null
    callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
    callgrind_control -i on "$SERVER_PID" >/dev/null 2>&1
    python3 "$HERE/drive.py" "$PORT" "$kind" "$COUNT" "$conns" "$key" "$etag" "$name" >"$OUT/$name.drive"
    callgrind_control -i off "$SERVER_PID" >/dev/null 2>&1
    callgrind_control -d "$name" "$SERVER_PID" >/dev/null 2>&1
    local file total
    file=$(ls -t "$WORK"/callgrind.out.*"$name"* 2>/dev/null | head -n1 || true)
    [[ -n $file ]] || file=$(ls -t "$WORK"/callgrind.out.* | head -n1)
    cp "$file" "$OUT/$name.callgrind"
    total=$(awk '/^totals:/ { print $2; exit }' "$file")
    printf '%-10s %6d requests  %12d Ir  %10.0f Ir/request  (%s)\n' "$name" "$COUNT" "$total" \
        "$(echo "$total / $COUNT" | bc -l)" "$(cat "$OUT/$name.drive")" | tee -a "$OUT/summary.txt"
}

for name in $PHASES; do
    case $name in
        healthz) phase healthz healthz 1 ;;
        poll304) phase poll304 poll304 1 "$viewer" ;;
        ingest1) phase ingest1 ingest 1 "$responder" ;;
        ingest16) phase ingest16 ingest 16 "$responder" ;;
        storm16) phase storm16 storm 16 "$responder" ;;
        *) log "unknown phase $name"; exit 1 ;;
    esac
done
stop_server
echo "binary: $BIN"
echo "callgrind files: $OUT"
