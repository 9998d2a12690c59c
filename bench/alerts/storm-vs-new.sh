#!/usr/bin/env bash
# Storm against new-key ingest on one server, nothing else in between (issue 5's "storm ingest
# >= new-key ingest"): POST /api/v1/alerts through wrk and trigger.lua, new keys and 100
# repeating keys alternated PAIRS times in both orders (new, storm, storm, new, ...), each run
# DURATION seconds at 32 connections, with incidentd's and PostgreSQL's CPU per request from
# /proc/PID/stat. Prints each run, the ratio of the medians of req/s, and the ratio of the
# medians of CPU per request (server + database; on a shared machine this one moves less with
# what the neighbours do). run.sh compares both with pgbench; this one only asks whether a dedup
# costs the server more than an insert, with less else on the machine.
#
# Usage: bench/alerts/storm-vs-new.sh      (about 2 minutes after the build; loopback only)
# Settings (environment): PAIRS=4 DURATION=6 PORT=18290; INCIDENTD_* pass through.
set -euo pipefail

PAIRS=${PAIRS:-4}
DURATION=${DURATION:-6}
PORT=${PORT:-18290}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/incidentd-storm-vs-new.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
log "building incidentd (release, --scratch-path .build-bench2)"
(cd "$ROOT" && swift build -c release --product incidentd --scratch-path .build-bench2 >/dev/null)
BIN=$(cd "$ROOT" && swift build -c release --scratch-path .build-bench2 --show-bin-path)/incidentd

"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$WORK/incidentd.log" &
SERVER_PID=$!
until curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$WORK/incidentd.log" >&2; exit 1; }
    sleep 0.1
done
ADMIN=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log")
api() {
    curl -sS --fail-with-body -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
        --data "$2" "http://127.0.0.1:$PORT$1"
}
api /api/v1/services '{"name":"bench-storm"}' >/dev/null
KEY=$(api /api/v1/api-keys '{"name":"bench","role":"responder"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')

run=0
one() {
    local mode=$1 out t0 t1 p0 p1
    run=$((run + 1))
    settle_postgres "$WORK/data/postgres"
    t0=$(proc_ticks "$SERVER_PID" 12 13) p0=$(pg_ticks "$WORK/data/postgres")
    out=$(wrk -t2 -c32 -d"${DURATION}s" --latency -s "$HERE/trigger.lua" "http://127.0.0.1:$PORT" \
        -- "$mode" "$KEY" bench-storm "run$run" - 2>&1)
    t1=$(proc_ticks "$SERVER_PID" 12 13) p1=$(pg_ticks "$WORK/data/postgres")
    awk -v mode="$mode" -v ticks=$((t1 - t0)) -v pgticks=$((p1 - p0)) -v tck="$(getconf CLK_TCK)" '
        /requests in/ { requests = $1 }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "99%" { p99 = $2 }
        /Non-2xx/ { bad = $NF }
        END {
            us = ticks / tck * 1e6 / requests; pgus = pgticks / tck * 1e6 / requests
            printf "%s\t%.0f\t%s\t%.1f\t%.1f\t%.1f\t%d\n", mode, rps, p99, us, pgus, us + pgus, bad
        }' <<<"$out"
}
log "warm-up"
one new >/dev/null
one storm >/dev/null
printf 'mode\treq/s\tp99\tincidentd CPU us/req\tPostgreSQL CPU us/req\ttotal\tnon-2xx\n' | tee "$WORK/runs.tsv"
for pair in $(seq 1 "$PAIRS"); do
    if ((pair % 2)); then order="new storm"; else order="storm new"; fi
    for mode in $order; do one "$mode" | tee -a "$WORK/runs.tsv"; done
done
awk -F'\t' '
    function median(a, n,    i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == "new" { n++; new[n] = $2; newcpu[n] = $6 }
    $1 == "storm" { s++; storm[s] = $2; stormcpu[s] = $6 }
    END {
        printf "storm / new (medians of req/s): %.2f\n", median(storm, s) / median(new, n)
        printf "new / storm (medians of server + database CPU per request): %.2f\n", median(newcpu, n) / median(stormcpu, s)
    }' "$WORK/runs.tsv"
