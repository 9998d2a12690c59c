#!/usr/bin/env bash
# Two builds of incidentd side by side, alternated in one sitting (issue 13 acceptance: the
# request pipeline must cost no more than before). Per run, for each binary:
#   /healthz at CONNS connections: req/s, p99, incidentd CPU per request;
#   the dashboard poll answered 304 (GET /api/v1/incidents?status=open&limit=50 with
#     If-None-Match, OPEN_INCIDENTS open incidents) at CONNS connections: req/s, p99, CPU/request;
#   durable alert ingest, new dedup keys (bench/alerts/trigger.lua new) at INGEST_CONNS
#     connections: alerts/s, p99, incidentd CPU per alert, PostgreSQL CPU per alert.
# CPU per request comes from /proc/PID/stat (utime + stime) before and after each wrk run:
# it holds up on a shared machine far better than req/s. Compare the two binaries' ratios from
# one run of this script, never absolute figures across runs.
#
# Usage: bench/front-door/compare.sh BEFORE_BIN AFTER_BIN      (loopback only)
#   Build each with: git archive REV | tar -x -C DIR && (cd DIR && swift build -c release
#   --product incidentd --scratch-path SCRATCH)
# Settings (environment): PAIRS=2 DURATION=5 CONNS=64 INGEST_CONNS=32 OPEN_INCIDENTS=50 PORT=18760
# Each binary gets its own embedded PostgreSQL data folder (made once; both keep their own
# migrations). Raw output: bench/results/front-door-<time>/ (gitignored).
set -euo pipefail

BEFORE_BIN=${1:?usage: compare.sh BEFORE_BIN AFTER_BIN}
AFTER_BIN=${2:?usage: compare.sh BEFORE_BIN AFTER_BIN}
PAIRS=${PAIRS:-2}
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
INGEST_CONNS=${INGEST_CONNS:-32}
OPEN_INCIDENTS=${OPEN_INCIDENTS:-50}
PORT=${PORT:-18760}
START_TIMEOUT_S=180
POLL_PATH="/api/v1/incidents?status=open&limit=50"

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/front-door-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-front-door.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
mkdir -p "$RESULTS"
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() {
    stop_bench ${SERVER_PID:+"$SERVER_PID"}
}
trap cleanup EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
LABELS=(before after)
BINS=("$BEFORE_BIN" "$AFTER_BIN")
for bin in "${BINS[@]}"; do [[ -x $bin ]] || { log "no binary at $bin"; exit 1; }; done
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# start_server INDEX: that binary on its own data folder, once /healthz answers.
start_server() {
    INCIDENTD_SLA_CHECK_INTERVAL=3600 "${BINS[$1]}" serve --host 127.0.0.1 --port "$PORT" \
        --data-dir "$WORK/data-$1" >>"$WORK/stdout-$1.log" 2>/dev/null &
    SERVER_PID=$!
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd ${LABELS[$1]} exited"; exit 1; }
        ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
        sleep 0.05
    done
}

stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait_exit "$SERVER_PID" 40 || kill -KILL "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# --- data sets, made once per binary --------------------------------------------------------------
declare -A VIEWER RESPONDER
for index in 0 1; do
    log "first start of ${LABELS[$index]} (initdb + migrations)"
    start_server "$index"
    admin=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout-$index.log") || { log "no admin key"; exit 1; }
    api() {
        curl -sS --fail-with-body -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
            --data "$2" "http://127.0.0.1:$PORT$1"
    }
    key_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'; }
    api /api/v1/services '{"name":"bench-ingest"}' >/dev/null
    VIEWER[$index]=$(api /api/v1/api-keys '{"name":"dashboard","role":"viewer"}' | key_of)
    RESPONDER[$index]=$(api /api/v1/api-keys '{"name":"ingest","role":"responder"}' | key_of)
    for i in $(seq 1 "$OPEN_INCIDENTS"); do
        api /api/v1/incidents "{\"title\":\"Bench incident $i\",\"severity\":\"SEV3\"}" >/dev/null
    done
    stop_server
done

# measure NAME INDEX WRK_ARGS...: one wrk run against the running server; prints
# "req/s p99 incidentd_us_per_req pg_us_per_req non2xx".
measure() {
    local name=$1 index=$2
    shift 2
    local pgdir=$WORK/data-$index/postgres before_cpu after_cpu pg_before pg_after
    before_cpu=$(proc_ticks "$SERVER_PID" 12 13)
    pg_before=$(pg_ticks "$pgdir")
    wrk --latency -d"${DURATION}s" "$@" >"$RESULTS/$name.txt" 2>&1
    after_cpu=$(proc_ticks "$SERVER_PID" 12 13)
    pg_after=$(pg_ticks "$pgdir")
    local rps p50 p99 socket non2xx requests
    read -r rps p50 p99 socket non2xx requests < <(wrk_summary "$RESULTS/$name.txt")
    awk -v rps="$rps" -v p99="$p99" -v cpu=$((after_cpu - before_cpu)) -v pg=$((pg_after - pg_before)) \
        -v tick="$TICK_US" -v n="$requests" -v bad=$((socket + non2xx)) \
        'BEGIN { printf "%.0f %.2f %.1f %.1f %d\n", rps, p99, cpu * tick / n, pg * tick / n, bad }'
}

run=0
# one INDEX: the three measurements for one binary; appends to runs.tsv.
one() {
    local index=$1 label=${LABELS[$1]} etag
    run=$((run + 1))
    start_server "$index"
    settle_postgres "$WORK/data-$index/postgres" 2>/dev/null || true
    local health poll ingest
    health=$(measure "healthz-$run" "$index" -t2 -c"$CONNS" "http://127.0.0.1:$PORT/healthz")
    etag=$(curl -sS -o /dev/null -D - -H "Authorization: Bearer ${VIEWER[$index]}" "http://127.0.0.1:$PORT$POLL_PATH" |
        awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')
    poll=$(measure "poll-$run" "$index" -t2 -c"$CONNS" -H "Authorization: Bearer ${VIEWER[$index]}" \
        -H "If-None-Match: $etag" "http://127.0.0.1:$PORT$POLL_PATH")
    ingest=$(measure "ingest-$run" "$index" -t2 -c"$INGEST_CONNS" -s "$ROOT/bench/alerts/trigger.lua" \
        "http://127.0.0.1:$PORT" -- new "${RESPONDER[$index]}" bench-ingest "run$run" -)
    stop_server
    printf '%s\t%s\t%s\t%s\n' "$label" "$health" "$poll" "$ingest" | tee -a "$RESULTS/runs.tsv"
}

log "warm-up of each (not recorded)"
one 0 >/dev/null
one 1 >/dev/null
: >"$RESULTS/runs.tsv"
for pair in $(seq 1 "$PAIRS"); do
    if ((pair % 2)); then order=(0 1); else order=(1 0); fi
    for index in "${order[@]}"; do one "$index"; done
done

# --- summary (medians) ----------------------------------------------------------------------------
echo
echo "Front door before/after, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${DURATION}s per run, $PAIRS pairs;" \
    "healthz and 304 poll at $CONNS connections, ingest (new keys) at $INGEST_CONNS"
echo
echo "| binary | /healthz req/s | /healthz µs CPU/req | 304 req/s | 304 p99 ms | 304 µs CPU/req | ingest alerts/s | ingest p99 ms | µs CPU/alert (incidentd) | µs CPU/alert (PostgreSQL) | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for label in "${LABELS[@]}"; do
    awk -v label="$label" '
        function median(a, n,    i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == label { n++; hr[n] = $2; hc[n] = $4; pr[n] = $7; pp[n] = $8; pc[n] = $9
                      ir[n] = $12; ip[n] = $13; ic[n] = $14; ig[n] = $15; bad += $6 + $11 + $16 }
        END { printf "| %s | %.0f | %.1f | %.0f | %.2f | %.1f | %.0f | %.2f | %.1f | %.1f | %d |\n", label,
              median(hr, n), median(hc, n), median(pr, n), median(pp, n), median(pc, n), median(ir, n),
              median(ip, n), median(ic, n), median(ig, n), bad }' "$RESULTS/runs.tsv"
done
echo
echo "Raw output: $RESULTS"
