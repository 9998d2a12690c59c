#!/usr/bin/env bash
# Dashboard polls during an alert storm (issue 13, ADR 0006): dashboards that already have the
# open-incidents page poll it with If-None-Match (GET /api/v1/incidents?status=open&limit=50,
# answered 304 while nothing changed), POLL_CONNS connections each polling every
# POLL_INTERVAL_MS (bench/poll/poll.lua), while STORM_CONNS connections ingest warning alerts as
# fast as the server takes them (bench/alerts/trigger.lua in storm mode: 100 repeating dedup
# keys; warnings open no incident, so the page never changes). Per run:
#   polls/s (at most POLL_CONNS * 1000 / POLL_INTERVAL_MS), p50 and p99 of the polls,
#   the share of polls answered 304,
#   the share of polls served from the response cache: every poll the server did not render.
#     Renders are counted by PostgreSQL (pg_stat_statements calls of the list query, reset
#     before each run), so the figure needs nothing from the binary being measured;
#   the storm's alerts/s and its non-2xx answers.
#
# With BEFORE=<git ref>, that commit is built too (git archive into a temporary folder, release
# build with --scratch-path $BEFORE_SCRATCH) and the two binaries alternate PAIRS times in both
# orders (before, after, after, before, ...) on one embedded PostgreSQL: the data folder is
# made once (OPEN_INCIDENTS open incidents, keys, the storm's service) and each run starts its
# own server on it, with the SLA job's interval at an hour so nothing else reads incidents.
#
# Short by default (the machine's cores are shared): about a minute after the builds.
# Usage: BEFORE=c9596ce bench/poll/storm-poll.sh       (loopback only)
# Settings (environment): PAIRS=2 DURATION=4 POLL_CONNS=8 POLL_INTERVAL_MS=10 STORM_CONNS=16
#   OPEN_INCIDENTS=50
#   PORT=18750 SCRATCH=.build-poll BEFORE_SCRATCH=.build-before SKIP_BUILD=1 (use the binaries
#   already built there). Raw output: bench/results/storm-poll-<time>/ (gitignored).
set -euo pipefail

PAIRS=${PAIRS:-2}
DURATION=${DURATION:-4}
POLL_CONNS=${POLL_CONNS:-8}
POLL_INTERVAL_MS=${POLL_INTERVAL_MS:-10}
STORM_CONNS=${STORM_CONNS:-16}
OPEN_INCIDENTS=${OPEN_INCIDENTS:-50}
PORT=${PORT:-18750}
SCRATCH=${SCRATCH:-.build-poll}
BEFORE=${BEFORE:-}
BEFORE_SCRATCH=${BEFORE_SCRATCH:-.build-before}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations
PSQL=/usr/lib/postgresql/15/bin/psql
POLL_PATH="/api/v1/incidents?status=open&limit=50"
# The list query of IncidentRepository+List.swift as pg_stat_statements shows it: with its
# constants as $n (`WHERE $2`) when the entry was made at parse time, as written (`WHERE true`)
# when a statement prepared before the reset made it; only the list orders incidents by id.
LIST_QUERY_PATTERN='%FROM incidents i WHERE%ORDER BY i.id DESC LIMIT%'

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/storm-poll-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-storm-poll.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
PGSOCK=$WORK/data/postgres
mkdir -p "$RESULTS"
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

psql_run() { runuser -u postgres -- "$PSQL" -h "$PGSOCK" -p 5432 -d incidentd -X -q -At "$@"; }

# --- tools and builds ---------------------------------------------------------------------------
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building this tree (release, --scratch-path $SCRATCH)"
    (cd "$ROOT" && swift build -c release --product incidentd --scratch-path "$SCRATCH" >"$RESULTS/build.log" 2>&1) ||
        { tail -n 30 "$RESULTS/build.log"; exit 1; }
    if [[ -n $BEFORE ]]; then
        mkdir "$WORK/before-src"
        git -C "$ROOT" archive "$BEFORE" | tar -x -C "$WORK/before-src"
        log "building $BEFORE (release, --scratch-path $BEFORE_SCRATCH)"
        (cd "$WORK/before-src" && swift build -c release --product incidentd \
            --scratch-path "$ROOT/$BEFORE_SCRATCH" >"$RESULTS/build-before.log" 2>&1) ||
            { tail -n 30 "$RESULTS/build-before.log"; exit 1; }
    fi
fi
LABELS=(after)
BINS=("$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/incidentd")
if [[ -n $BEFORE ]]; then
    LABELS=(before after)
    BINS=("$ROOT/$BEFORE_SCRATCH/release/incidentd" "${BINS[0]}")
fi
for bin in "${BINS[@]}"; do [[ -x $bin ]] || { log "no binary at $bin"; exit 1; }; done

# --- server -------------------------------------------------------------------------------------
# start_server BIN: incidentd on the shared data folder, once /healthz answers.
start_server() {
    INCIDENTD_SLA_CHECK_INTERVAL=3600 "$1" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
        >>"$WORK/stdout.log" 2>>"$RESULTS/incidentd.log" &
    SERVER_PID=$!
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$RESULTS/incidentd.log" >&2; exit 1; }
        ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
        sleep 0.05
    done
}

# stop_server: SIGTERM (incidentd stops its embedded PostgreSQL too), SIGKILL after 40 s.
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait_exit "$SERVER_PID" 40 || kill -KILL "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# --- data set, made once ------------------------------------------------------------------------
log "first start (initdb + migrations) with ${LABELS[0]}"
start_server "${BINS[0]}"
ADMIN_KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }
api() {
    curl -sS --fail-with-body -X POST -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
        --data "$2" "http://127.0.0.1:$PORT$1"
}
key_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'; }
api /api/v1/services '{"name":"bench-storm"}' >/dev/null
VIEWER=$(api /api/v1/api-keys '{"name":"dashboard","role":"viewer"}' | key_of)
RESPONDER=$(api /api/v1/api-keys '{"name":"storm","role":"responder"}' | key_of)
for i in $(seq 1 "$OPEN_INCIDENTS"); do
    api /api/v1/incidents "{\"title\":\"Bench incident $i\",\"severity\":\"SEV3\"}" >/dev/null
done
# Counts every statement's calls from the next start on; incidentd.conf does not set it.
psql_run -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
stop_server
log "data: $OPEN_INCIDENTS open incidents; service bench-storm; a viewer and a responder key"

# --- runs ---------------------------------------------------------------------------------------
run=0
# one LABEL BIN: one run; appends "label polls/s p50 p99 share304 shareCached renders polls
# alerts/s stormNon2xx" to $RESULTS/runs.tsv.
one() {
    local label=$1 bin=$2 etag renders
    run=$((run + 1))
    start_server "$bin"
    psql_run -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    settle_postgres "$PGSOCK"
    etag=$(curl -sS -o /dev/null -D - -H "Authorization: Bearer $VIEWER" "http://127.0.0.1:$PORT$POLL_PATH" |
        awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')
    [[ -n $etag ]] || { log "the poll answer carries no ETag"; exit 1; }
    psql_run -c "SELECT pg_stat_statements_reset()" >/dev/null
    wrk -t1 -c"$STORM_CONNS" -d"${DURATION}s" --latency -s "$ROOT/bench/alerts/trigger.lua" \
        "http://127.0.0.1:$PORT" -- storm "$RESPONDER" bench-storm "run$run" - >"$RESULTS/storm-$run.txt" 2>&1 &
    local storm=$!
    wrk -t1 -c"$POLL_CONNS" -d"${DURATION}s" --latency -s "$HERE/poll.lua" -H "Authorization: Bearer $VIEWER" \
        -H "If-None-Match: $etag" "http://127.0.0.1:$PORT$POLL_PATH" -- "$POLL_INTERVAL_MS" >"$RESULTS/poll-$run.txt" 2>&1
    wait "$storm"
    renders=$(psql_run -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '$LIST_QUERY_PATTERN'")
    # What else ran, to check the pattern against: the ten most frequent statements.
    psql_run -c "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 300) FROM pg_stat_statements
        ORDER BY calls DESC LIMIT 10" >"$RESULTS/statements-$run.txt"
    stop_server
    local rps p50 p99 socket non2xx polls storm_rps storm_p50 storm_p99 storm_socket storm_non2xx storm_requests
    read -r rps p50 p99 socket non2xx polls < <(wrk_summary "$RESULTS/poll-$run.txt")
    read -r storm_rps storm_p50 storm_p99 storm_socket storm_non2xx storm_requests < <(wrk_summary "$RESULTS/storm-$run.txt")
    local not_modified
    not_modified=$(grep -o '304=[0-9]*' "$RESULTS/poll-$run.txt" | cut -d= -f2 || true)
    awk -v label="$label" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v nm="${not_modified:-0}" -v polls="$polls" \
        -v renders="$renders" -v srps="$storm_rps" -v sbad=$((storm_socket + storm_non2xx)) 'BEGIN {
            printf "%s\t%.0f\t%.2f\t%.2f\t%.1f\t%.1f\t%d\t%d\t%.0f\t%d\n", label, rps, p50, p99, 100 * nm / polls,
                100 * (polls - renders) / polls, renders, polls, srps, sbad
        }' | tee -a "$RESULTS/runs.tsv"
}

printf 'binary\tpolls/s\tp50 ms\tp99 ms\t304 %%\tfrom cache %%\trenders\tpolls\talerts/s\tstorm errors\n'
log "warm-up (not recorded)"
one warm-up "${BINS[-1]}" >/dev/null
for pair in $(seq 1 "$PAIRS"); do
    if ((pair % 2)); then order=(0 1); else order=(1 0); fi
    ((${#BINS[@]} > 1)) || order=(0)
    for index in "${order[@]}"; do one "${LABELS[$index]}" "${BINS[$index]}"; done
done

# --- summary ------------------------------------------------------------------------------------
echo
echo "Dashboard polls during a warning-alert storm, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores;" \
    "polls: wrk -t1 -c$POLL_CONNS, one poll per connection every ${POLL_INTERVAL_MS} ms, with If-None-Match; storm: wrk -t1 -c$STORM_CONNS trigger.lua storm;" \
    "${DURATION}s per run, $PAIRS pairs, $OPEN_INCIDENTS open incidents"
echo
echo "| binary | polls/s | p50 ms | p99 ms | 304 | served from cache | alerts/s (storm) | runs (polls/s) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for label in "${LABELS[@]}"; do
    awk -v label="$label" -F'\t' '
        function median(a, n,    i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == label { n++; rps[n] = $2; p50[n] = $3; p99[n] = $4; nm[n] = $5; cached[n] = $6; storm[n] = $9
                      runs = runs " " $2 }
        END { printf "| %s | %.0f | %.2f | %.2f | %.1f %% | %.1f %% | %.0f |%s |\n", label, median(rps, n),
              median(p50, n), median(p99, n), median(nm, n), median(cached, n), median(storm, n), runs }' \
        "$RESULTS/runs.tsv"
done
echo
echo "Raw output: $RESULTS"
