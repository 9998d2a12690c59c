#!/usr/bin/env bash
# The public status page (issue 19 acceptance), in one sitting on one server:
#   cached: GET /status and GET /status/api/v2/summary.json with If-None-Match (answered 304 from
#     the response cache on the event loop, no credentials) against GET /healthz, at CONNS
#     connections, the three alternated ROUNDS times (order rotated): req/s, p99, incidentd CPU
#     per request, and each page's rate as a share of the /healthz rate of its round (target
#     >= 0.8);
#   miss: every request a cache miss (a new query string each time: the response cache keys on
#     the request target), one connection, for /status and for summary.json: incidentd CPU per
#     render (utime + stime from /proc/PID/stat, target < 2 ms) and PostgreSQL CPU per render
#     (every backend of the embedded cluster).
# The page holds COMPONENTS components (one per service, in four groups), INCIDENTS open public
# incidents (SEV1-SEV3 on those services, each with two public status updates), and two public
# maintenance windows within 72 hours.
#
# Usage: bench/statuspage/run.sh [BIN]       (loopback only; BIN: a release incidentd, else one
#   is built with --scratch-path $SCRATCH)
# Settings (environment): ROUNDS=3 DURATION=5 MISS_DURATION=5 CONNS=64 COMPONENTS=20 INCIDENTS=10
#   PORT=18770 SCRATCH=.build-bench. Raw output: bench/results/statuspage-<time>/ (gitignored).
# The machine's cores are shared: compare the ratios within one run, not absolute req/s.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
MISS_DURATION=${MISS_DURATION:-5}
CONNS=${CONNS:-64}
COMPONENTS=${COMPONENTS:-20}
INCIDENTS=${INCIDENTS:-10}
PORT=${PORT:-18770}
SCRATCH=${SCRATCH:-.build-bench}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/statuspage-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-statuspage.XXXXXX)
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

BIN=${1:-}
if [[ -z $BIN ]]; then
    log "release build (--scratch-path $SCRATCH)"
    (cd "$ROOT" && swift build -c release --product incidentd --scratch-path "$SCRATCH" >&2)
    BIN=$ROOT/$SCRATCH/release/incidentd
fi
[[ -x $BIN ]] || { log "no binary at $BIN"; exit 1; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
BASE=http://127.0.0.1:$PORT

log "start (initdb + migrations)"
INCIDENTD_SLA_CHECK_INTERVAL=3600 "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    >>"$WORK/stdout.log" 2>/dev/null &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/healthz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; exit 1; }
    ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
ADMIN=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key"; exit 1; }

# api METHOD PATH JSON: one admin call; prints the answer.
api() {
    curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
        --data "$3" "$BASE$2"
}
field() { python3 -c "import json, sys; print(json.load(sys.stdin)[\"$1\"])"; }

log "seed: $COMPONENTS components, $INCIDENTS public incidents, 2 public maintenance windows"
groups=(Core Payments Data Edge)
for i in $(seq 1 "$COMPONENTS"); do
    api POST /api/v1/services "{\"name\":\"svc-$i\"}" >/dev/null
    api POST /api/v1/status/components \
        "{\"name\":\"Component $i\",\"description\":\"Serves part $i\",\"services\":[\"svc-$i\"],\"group\":\"${groups[$((i % 4))]}\"}" \
        >/dev/null
done
severities=(SEV1 SEV2 SEV3)
for i in $(seq 1 "$INCIDENTS"); do
    ref=$(api POST /api/v1/incidents \
        "{\"title\":\"Errors on component $i\",\"severity\":\"${severities[$((i % 3))]}\",\"services\":[\"svc-$i\"]}" |
        field ref)
    api PATCH "/api/v1/incidents/$ref" '{"public":true}' >/dev/null
    for body in "We are investigating elevated errors on component $i." "A fix is being rolled out."; do
        api POST "/api/v1/incidents/$ref/status-updates" \
            "{\"status\":\"identified\",\"body\":\"$body\",\"public\":true}" >/dev/null
    done
done
now=$(date -u +%s)
stamp() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
api POST /api/v1/maintenance-windows \
    "{\"description\":\"Database upgrade\",\"services\":[\"svc-1\"],\"public\":true,\"starts_at\":\"$(stamp $((now + 86400)))\",\"ends_at\":\"$(stamp $((now + 93600)))\"}" >/dev/null
api POST /api/v1/maintenance-windows \
    '{"description":"Nightly maintenance","services":["svc-2"],"public":true,"rrule":"FREQ=DAILY;BYHOUR=2;BYMINUTE=0","time_zone":"UTC","duration_seconds":7200}' >/dev/null
curl -sS -o "$RESULTS/status.html" "$BASE/status"
curl -sS -o "$RESULTS/summary.json" "$BASE/status/api/v2/summary.json"
python3 - "$RESULTS/summary.json" "$COMPONENTS" "$INCIDENTS" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
leaves = [c for c in summary["components"] if not c["group"]]
assert len(leaves) == int(sys.argv[2]), len(leaves)
assert len(summary["incidents"]) == int(sys.argv[3]), len(summary["incidents"])
assert summary["scheduled_maintenances"], "no maintenance listed"
EOF
log "page: $(wc -c <"$RESULTS/status.html") bytes of HTML, $(wc -c <"$RESULTS/summary.json") bytes of summary.json"

# etag PATH: the ETag of an anonymous GET.
etag() {
    curl -sS -o /dev/null -D - "$BASE$1" | awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }'
}

# measure NAME WRK_ARGS...: one wrk run; prints "req/s p99_ms incidentd_us_per_req pg_us_per_req bad".
measure() {
    local name=$1
    shift
    local pgdir=$WORK/data/postgres before_cpu after_cpu pg_before pg_after
    before_cpu=$(proc_ticks "$SERVER_PID" 12 13)
    pg_before=$(pg_ticks "$pgdir")
    wrk --latency "$@" >"$RESULTS/$name.txt" 2>&1
    after_cpu=$(proc_ticks "$SERVER_PID" 12 13)
    pg_after=$(pg_ticks "$pgdir")
    local rps p50 p99 socket non2xx requests
    read -r rps p50 p99 socket non2xx requests < <(wrk_summary "$RESULTS/$name.txt")
    awk -v rps="$rps" -v p99="$p99" -v cpu=$((after_cpu - before_cpu)) -v pg=$((pg_after - pg_before)) \
        -v tick="$TICK_US" -v n="$requests" -v bad=$((socket + non2xx)) \
        'BEGIN { printf "%.0f %.2f %.1f %.1f %d\n", rps, p99, cpu * tick / n, pg * tick / n, bad }'
}

settle_postgres "$WORK/data/postgres" 2>/dev/null || true
log "warm-up (not recorded)"
wrk -t2 -c"$CONNS" -d2s "$BASE/healthz" >/dev/null
wrk -t2 -c"$CONNS" -d2s -H "If-None-Match: $(etag /status)" "$BASE/status" >/dev/null

: >"$RESULTS/cached.tsv"
for round in $(seq 1 "$ROUNDS"); do
    # Rotated, so that no target always runs first (or last) in a round.
    targets=(healthz status summary)
    shift_by=$(((round - 1) % 3))
    targets=("${targets[@]:$shift_by}" "${targets[@]:0:$shift_by}")
    for target in "${targets[@]}"; do
        case $target in
        healthz) line=$(measure "healthz-$round" -t2 -c"$CONNS" -d"${DURATION}s" "$BASE/healthz") ;;
        status)
            line=$(measure "status-304-$round" -t2 -c"$CONNS" -d"${DURATION}s" \
                -H "If-None-Match: $(etag /status)" "$BASE/status")
            ;;
        summary)
            line=$(measure "summary-304-$round" -t2 -c"$CONNS" -d"${DURATION}s" \
                -H "If-None-Match: $(etag /status/api/v2/summary.json)" "$BASE/status/api/v2/summary.json")
            ;;
        esac
        printf '%s\t%s\t%s\n' "$round" "$target" "$line" | tee -a "$RESULTS/cached.tsv" >&2
    done
done

: >"$RESULTS/miss.tsv"
for target in /status /status/api/v2/summary.json; do
    name=$(basename "$target" .json)
    line=$(measure "miss-$name" -t1 -c1 -d"${MISS_DURATION}s" -s "$HERE/miss.lua" "$BASE$target")
    printf '%s\t%s\n' "$target" "$line" | tee -a "$RESULTS/miss.tsv" >&2
done

# --- summary ----------------------------------------------------------------------------------------
echo
echo "Status page, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$COMPONENTS components, $INCIDENTS open public incidents; cached runs ${DURATION}s at $CONNS connections," \
    "$ROUNDS rounds; misses ${MISS_DURATION}s on one connection"
echo
echo "| target | req/s (median) | req/s per round | p99 ms (median) | µs CPU/req incidentd (median) | share of /healthz req/s per round | errors |"
echo "| --- | ---: | --- | ---: | ---: | --- | ---: |"
awk -F'\t' '
    function median(a, n,    i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { split($3, f, " "); rps[$2, $1] = f[1]; p99[$2, $1] = f[2]; cpu[$2, $1] = f[3]; bad[$2] += f[5]; rounds[$1] = 1 }
    END {
        split("healthz status summary", names, " ")
        label["healthz"] = "GET /healthz"; label["status"] = "GET /status, 304"
        label["summary"] = "GET summary.json, 304"
        for (k = 1; k <= 3; k++) {
            name = names[k]; n = 0; per = ""; shares = ""
            for (r in rounds) n++
            for (r = 1; r <= n; r++) {
                a[r] = rps[name, r]; b[r] = p99[name, r]; c[r] = cpu[name, r]
                per = per (r > 1 ? " " : "") rps[name, r]
                shares = shares (r > 1 ? " " : "") sprintf("%.2f", rps[name, r] / rps["healthz", r])
            }
            printf "| %s | %.0f | %s | %.2f | %.1f | %s | %d |\n", label[name], median(a, n), per, median(b, n), median(c, n), (name == "healthz" ? "1" : shares), bad[name]
        }
    }' "$RESULTS/cached.tsv"
echo
echo "| cache miss (one connection) | renders/s | p99 ms | µs CPU/render incidentd | µs CPU/render PostgreSQL | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '{ split($2, f, " "); printf "| GET %s | %s | %s | %s | %s | %s |\n", $1, f[1], f[2], f[3], f[4], f[5] }' \
    "$RESULTS/miss.tsv"
