#!/usr/bin/env bash
# `GET /api/v1/schedules/{id}/oncall?at=` (issue 15: under 1 ms of server CPU for a schedule of
# 5 layers and 1,000 overrides) on a release build with its embedded PostgreSQL.
#
# One run of this script:
#   1. builds incidentd (release), starts it, makes two schedules through the API (seed.py):
#        spread  5 layers, 1,000 overrides over a year, asked about over that year
#        dense   5 layers, 1,000 overlapping overrides within 14 days, asked about over those
#                days: every request reads all 1,000 (the worst case for the two-week read)
#   2. for ROUNDS rounds, alternates wrk runs of DURATION seconds at CONNS connections:
#        healthz  /healthz, the scale of the machine in this sitting (no database)
#        spread   oncall?at= on the spread schedule, a new instant per request (oncall.lua),
#                 so none is answered from the response cache
#        dense    the same on the dense schedule
#      and prints the medians of req/s, p50, p99, non-2xx + socket errors, and CPU per request
#      of incidentd and of PostgreSQL (utime + stime from /proc/PID/stat, all threads /
#      backends, before and after each run, divided by wrk's request count).
#   3. PROFILE=1: a perf profile of incidentd during an unrecorded run of PROFILE_RUN (dense).
# CONNS=1 (default) sends one request at a time: what one request costs, not a load test.
#
# The machine is shared: compare figures from one run (healthz is the scale), never absolute
# numbers across runs (docs/PERFORMANCE.md).
#
# Usage: bench/schedules/run.sh      (about 2 minutes after the build; loopback only)
# Settings (environment): ROUNDS=3 DURATION=10 CONNS=1 PORT=18650 PROFILE=0 PROFILE_RUN=dense
#                         SCRATCH=.build-schedules-release  SKIP_BUILD=1 (use the binary there)
# Raw output is kept in bench/results/schedules-<time>/ (gitignored).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-1}
PORT=${PORT:-18650}
SCRATCH=${SCRATCH:-.build-schedules-release}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/schedules-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-schedules-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS"

SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

server_ticks() { proc_ticks "$SERVER_PID" 12 13; }

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
log "incidentd at commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Sources || echo ' (with uncommitted changes)')"

# --- server and schedules -----------------------------------------------------------------------
log "starting incidentd (initdb + migrations of the embedded PostgreSQL)"
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$RESULTS/incidentd.log" &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$RESULTS/incidentd.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }

log "making the schedules (8 users, 2 schedules of 5 layers, 2,000 overrides, through the API)"
python3 "$HERE/seed.py" "http://127.0.0.1:$PORT" "$KEY" >"$RESULTS/schedules.txt"
declare -A SCHEDULE_ID AT_FROM AT_SPAN
while read -r name id from span; do
    SCHEDULE_ID[$name]=$id
    AT_FROM[$name]=$from
    AT_SPAN[$name]=$span
done <"$RESULTS/schedules.txt"
for name in spread dense; do
    at=$(date -u -d "@$((AT_FROM[$name] + AT_SPAN[$name] / 2))" +%Y-%m-%dT%H:%M:%SZ)
    log "$name: schedule ${SCHEDULE_ID[$name]}, oncall?at=$at answers:"
    curl -sS --fail-with-body -H "Authorization: Bearer $KEY" \
        "http://127.0.0.1:$PORT/api/v1/schedules/${SCHEDULE_ID[$name]}/oncall?at=$at" >&2
    echo >&2
done

# --- runs ---------------------------------------------------------------------------------------
# run NAME ROUND: one wrk run; appends "name round rps p50_ms p99_ms errors requests
# server_cpu_us postgres_cpu_us" (per request) to $RESULTS/runs.tsv (ROUND 0: not recorded).
run() {
    local name=$1 round=$2 out s0 s1 p0 p1 summary errors
    local -a target
    out=$RESULTS/$name-$round.txt
    if [[ $name == healthz ]]; then
        target=("http://127.0.0.1:$PORT/healthz")
    else
        target=(-s "$HERE/oncall.lua" -H "Authorization: Bearer $KEY"
            "http://127.0.0.1:$PORT/api/v1/schedules/${SCHEDULE_ID[$name]}/oncall")
    fi
    s0=$(server_ticks)
    p0=$(pg_ticks "$WORK/data/postgres")
    AT_FROM=${AT_FROM[$name]:-0} AT_SPAN=${AT_SPAN[$name]:-1} \
        wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${target[@]}" >"$out"
    s1=$(server_ticks)
    p1=$(pg_ticks "$WORK/data/postgres")
    ((round > 0)) || return 0
    read -r rps p50 p99 socket non2xx requests <<<"$(wrk_summary "$out")"
    errors=$((socket + non2xx))
    awk -v n="$name" -v r="$round" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v e="$errors" -v q="$requests" \
        -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v hz="$CLK_TCK" \
        'BEGIN { printf "%s\t%d\t%.0f\t%.3f\t%.3f\t%d\t%d\t%.1f\t%.1f\n", n, r, rps, p50, p99, e, q,
                 s * 1e6 / hz / q, p * 1e6 / hz / q }' >>"$RESULTS/runs.tsv"
    log "$(tail -n1 "$RESULTS/runs.tsv")"
}

log "warming up"
for name in healthz spread dense; do DURATION=3 run "$name" 0; done
log "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$RESULTS/runs.tsv"
for ((round = 1; round <= ROUNDS; round++)); do
    for name in healthz spread dense; do run "$name" "$round"; done
done
log "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- summary ------------------------------------------------------------------------------------
printf '\n%s connection(s), %s rounds of %s s, CPU per request in µs (medians; errors summed):\n' \
    "$CONNS" "$ROUNDS" "$DURATION"
printf '| run | req/s | p50 ms | p99 ms | errors | incidentd CPU µs/req | PostgreSQL CPU µs/req | incidentd µs/req per run |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
for name in healthz spread dense; do
    awk -v n="$name" '
        function median(values, count,    i, j, t) {
            for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++)
                if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
            return count % 2 ? values[(count + 1) / 2] : (values[count / 2] + values[count / 2 + 1]) / 2
        }
        $1 == n { c++; rps[c] = $3; p50[c] = $4; p99[c] = $5; err += $6; cpu[c] = $8; pg[c] = $9; runs = runs " " $8 }
        END {
            printf "| %s | %.0f | %.3f | %.3f | %d | %.1f | %.1f |%s |\n", n, median(rps, c), median(p50, c),
                median(p99, c), err, median(cpu, c), median(pg, c), runs
        }' "$RESULTS/runs.tsv"
done

# --- where the time goes (PROFILE=1) ------------------------------------------------------------
if [[ ${PROFILE:-0} == 1 ]]; then
    command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
    perf record -e cpu-clock -F 999 -g -p "$SERVER_PID" -o "$RESULTS/perf.data" -- sleep "$((DURATION - 1))" \
        >"$RESULTS/perf-record.log" 2>&1 &
    perf_pid=$!
    run "${PROFILE_RUN:-dense}" 0
    wait "$perf_pid" || true
    perf report -i "$RESULTS/perf.data" --children --sort sym -q -g none 2>/dev/null | swift demangle --simplified \
        >"$RESULTS/perf-children.txt"
    printf '\nincidentd during a %s run, inclusive share of samples (top 40): %s\n' "${PROFILE_RUN:-dense}" "$RESULTS/perf-children.txt"
    head -n 40 "$RESULTS/perf-children.txt"
fi
