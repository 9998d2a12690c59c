#!/usr/bin/env bash
# Dashboard polling (issue 6, "Performance"): `GET /api/v1/incidents?status=open&limit=50` with
# full responses, over 100,000 incidents of which 1,000 are open and 1,000,000 timeline entries.
#
# One run of this script, on one embedded PostgreSQL:
#   1. builds incidentd (release), starts it, makes a viewer key;
#   2. seeds the data set with set-based SQL (seed.sql, timed: issue 6 wants it under a minute);
#   3. prints EXPLAIN (ANALYZE, BUFFERS) of the list query as the server sends it (explain.sql);
#   4. alternates for ROUNDS rounds, CONNS connections each:
#        healthz       /healthz, the reference of issue 6's 304 target
#        open-page     the open-incidents page (a viewer key; served from the response cache
#                      after the first request, ADR 0003)
#        not-modified  the same with If-None-Match: the page's ETag (answered 304)
#        gzip-page     the same with Accept-Encoding: gzip (browser dashboards)
#        miss-page     every request a target of its own (miss.lua), so every one runs the query
#                      and renders: what each poll costs right after a change
#      and prints the medians of req/s, p50, p99, errors and CPU per request of incidentd and
#      PostgreSQL (utime + stime from /proc/PID/stat).
# INCIDENTD_* variables pass through to the server (INCIDENTD_RESPONSE_CACHE_TTL_MS=0: no cache).
#
# wrk, incidentd and PostgreSQL share the machine's cores: compare figures from one run,
# never absolute numbers across runs (docs/PERFORMANCE.md).
#
# Usage: bench/incidents/run.sh     (about 5 minutes after the build; loopback only)
# Settings (environment): ROUNDS=3 DURATION=10 THREADS=2 CONNS=64 PORT=18640
#                         SCRATCH=.build-incidents-release (the release build's --scratch-path)
#                         SKIP_BUILD=1 (use the binary already built there)
# Raw output is kept in bench/results/incidents-<time>/ (gitignored).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
PORT=${PORT:-18640}
SCRATCH=${SCRATCH:-.build-incidents-release}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations
PSQL=/usr/lib/postgresql/15/bin/psql
POLL_PATH="/api/v1/incidents?status=open&limit=50"

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/incidents-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-incidents-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
PGSOCK=$WORK/data/postgres
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS"

SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

# CPU ticks (utime + stime) of incidentd, all threads.
server_ticks() { proc_ticks "$SERVER_PID" 12 13; }

psql_run() { runuser -u postgres -- "$PSQL" -h "$PGSOCK" -p 5432 -d incidentd -X -q "$@"; }

# --- tools and build ----------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building incidentd (release, --scratch-path $SCRATCH)"
    (cd "$ROOT" && swift build -c release --product incidentd --scratch-path "$SCRATCH" >"$RESULTS/build.log" 2>&1) ||
        { tail -n 30 "$RESULTS/build.log"; exit 1; }
fi
BIN=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/incidentd

# --- server and key -----------------------------------------------------------------------------
log "starting incidentd (initdb + migrations of the embedded PostgreSQL)"
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$RESULTS/incidentd.log" &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$RESULTS/incidentd.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
ADMIN_KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }
KEY=$(curl -sS --fail-with-body -X POST -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    --data '{"name":"bench-dashboard","role":"viewer"}' "http://127.0.0.1:$PORT/api/v1/api-keys" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')

# --- data set -----------------------------------------------------------------------------------
log "seeding 100,000 incidents (1,000 open) and 1,000,000 timeline entries"
seed_start=$(date +%s.%N)
psql_run <"$HERE/seed.sql" >"$RESULTS/seed.txt"
seed_seconds=$(awk -v a="$seed_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
counts=$(psql_run -At -c "SELECT (SELECT count(*) FROM incidents) || ' incidents, ' ||
    (SELECT count(*) FROM incidents WHERE status <> 'resolved') || ' open, ' ||
    (SELECT count(*) FROM timeline_entries) || ' timeline entries'")
log "seeded in ${seed_seconds}s (psql, including ANALYZE): $counts"

psql_run <"$HERE/explain.sql" >"$RESULTS/explain.txt" 2>&1
log "EXPLAIN of the list query (and of a timeline page):"
cat "$RESULTS/explain.txt" >&2

answer=$(curl -sS --fail-with-body -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT$POLL_PATH")
bytes=${#answer}
items=$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["items"]), d["next_cursor"] is not None)' <<<"$answer")
log "one poll: $bytes bytes, items and next page: $items"
etag=$(curl -sS -o /dev/null -D - -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT$POLL_PATH" |
    awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')
[[ -n $etag ]] || { log "the poll answer carries no ETag"; exit 1; }
log "ETag of the page: $etag (the not-modified runs send it as If-None-Match)"

# --- runs ---------------------------------------------------------------------------------------
# run NAME PATH ROUND: one wrk run; appends
# "name round rps p50_ms p99_ms errors requests server_cpu_us postgres_cpu_us" per request
# to $RESULTS/runs.tsv (ROUND 0: warm-up, not recorded).
run() {
    local name=$1 path=$2 round=$3 out s0 s1 p0 p1
    local -a extra=()
    case $name in
    not-modified) extra=(-H "If-None-Match: $etag") ;;
    gzip-page) extra=(-H "Accept-Encoding: gzip") ;;
    miss-page) extra=(-s "$HERE/miss.lua") ;;
    esac
    out=$RESULTS/$name-r$round.txt
    s0=$(server_ticks) p0=$(pg_ticks "$PGSOCK")
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "${extra[@]}" \
        "http://127.0.0.1:$PORT$path" >"$out" 2>&1
    s1=$(server_ticks) p1=$(pg_ticks "$PGSOCK")
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd died during $name"; cat "$out" >&2; exit 1; }
    ((round > 0)) || return 0
    local rps p50 p99 socket non2xx requests
    read -r rps p50 p99 socket non2xx requests < <(wrk_summary "$out")
    awk -v name="$name" -v round="$round" -v rps="$rps" -v p50="$p50" -v p99="$p99" \
        -v errors=$((socket + non2xx)) -v requests="$requests" -v ticks=$((s1 - s0)) -v pgticks=$((p1 - p0)) \
        -v tck="$CLK_TCK" 'BEGIN {
            printf "%s\t%d\t%.0f\t%.2f\t%.2f\t%d\t%d\t%.1f\t%.1f\n", name, round, rps, p50, p99, errors,
                requests, ticks / tck * 1e6 / requests, pgticks / tck * 1e6 / requests
        }' >>"$RESULTS/runs.tsv"
    log "$(tail -n1 "$RESULTS/runs.tsv" | tr '\t' ' ')"
}

log "warm-up (not recorded)"
run healthz /healthz 0
run open-page "$POLL_PATH" 0
run not-modified "$POLL_PATH" 0
run gzip-page "$POLL_PATH" 0
run miss-page "$POLL_PATH" 0
for round in $(seq 1 "$ROUNDS"); do
    log "round $round of $ROUNDS"
    run healthz /healthz "$round"
    run open-page "$POLL_PATH" "$round"
    run not-modified "$POLL_PATH" "$round"
    run gzip-page "$POLL_PATH" "$round"
    run miss-page "$POLL_PATH" "$round"
done

# --- summary ------------------------------------------------------------------------------------
echo
echo "Dashboard polling, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS rounds"
echo "data: $counts; seeded in ${seed_seconds}s; one poll answer: $bytes bytes"
echo
echo "| route | req/s (median) | p50 ms | p99 ms | errors (sum) | incidentd CPU µs/req | PostgreSQL CPU µs/req | req/s per run |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for name in healthz open-page not-modified gzip-page miss-page; do
    awk -v name="$name" -F'\t' '
        function median(a, n,    i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == name { n++; rps[n] = $3; runs = runs " " $3; p50[n] = $4; p99[n] = $5; errors += $6; cpu[n] = $8
                     pg[n] = $9 }
        END { printf "| %s | %.0f | %.2f | %.2f | %d | %.1f | %.1f |%s |\n", name, median(rps, n), median(p50, n),
              median(p99, n), errors, median(cpu, n), median(pg, n), runs }' "$RESULTS/runs.tsv"
done
# median NAME COLUMN: the median of one column of runs.tsv over the recorded rounds of NAME.
median() {
    awk -v name="$1" -v col="$2" -F'\t' '
        $1 == name { n++; a[n] = $col }
        END {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            print n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }' "$RESULTS/runs.tsv"
}
echo
echo "| ratio or figure (medians) | value | issue 6 target |"
echo "| --- | ---: | --- |"
awk -v nm="$(median not-modified 3)" -v hz="$(median healthz 3)" -v p99="$(median open-page 5)" \
    -v miss="$(median miss-page 5)" 'BEGIN {
        printf "| not-modified req/s / healthz req/s | %.2f | >= 0.5 |\n", nm / hz
        printf "| open-page p99 | %.2f ms | < 20 ms |\n", p99
        printf "| miss-page p99 (every poll renders) | %.2f ms | |\n", miss }'
echo
echo "EXPLAIN: $RESULTS/explain.txt"
