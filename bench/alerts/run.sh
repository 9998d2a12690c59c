#!/usr/bin/env bash
# Alert ingest through POST /api/v1/alerts against the database's own ceiling for the same work
# (issue 5, "Performance").
#
# One run of this script, on one embedded PostgreSQL (fsync and synchronous_commit on: the
# defaults, checked and printed), alternates for ROUNDS rounds:
#   http-new        wrk, a new dedup key on every request (trigger.lua "new")
#   pg-two          pgbench: BEGIN; upsert alert; INSERT timeline row; COMMIT (new keys)
#   pg-cte          pgbench: the product's one-statement upsert + timeline CTE (new keys)
#   pg-request      pgbench: what incidentd sends for a trigger that takes the usual path (a
#                   transaction of its own: Idempotency-Key, critical alerts) once the API key
#                   is served from its in-process cache, in the same two round trips: [BEGIN +
#                   the CTE with the service looked up by name] as one pipeline, then [audit
#                   INSERT + COMMIT] as one pipeline (\startpipeline ... \endpipeline; new keys).
#                   The measured wrk runs take the group-commit path instead (ADR 0004): the
#                   CTE with its audit row as one statement, concurrent requests sharing
#                   [BEGIN, their statements, COMMIT] in one pipeline.
#   pg-request-old  pgbench: the six-statement request of the first measurement, one round trip
#                   each (key lookup, BEGIN, service lookup, the CTE, audit INSERT, COMMIT)
#   http-storm      wrk, 100 repeating dedup keys (trigger.lua "storm")
#   pg-cte-storm    pgbench: the CTE on 100 repeating keys
#   pg-request-storm pgbench: pg-request on 100 repeating keys
#   pg-fused        pgbench: NOT what incidentd does; the whole request (key check, service
#                   lookup, trigger, audit row) as one autocommitted statement, to measure
#                   what one round trip instead of two would give
#   pg-cte-batch8   pgbench: 8 CTE triggers per transaction (new keys), counted per alert:
#                   the database's side of group commit
# all at CONNS connections (wrk -t THREADS; pgbench -c CONNS -j THREADS -M prepared), and
# prints medians, the ratios issue 5 sets targets for, and afterwards checks that every
# trigger answered 2xx is in the database.
#
# Method (../shared/PEERS.md): runs alternated in one sitting (the order rotating each round),
# median of ROUNDS runs, CPU per
# request from /proc/PID/stat before and after each run (utime + stime; for PostgreSQL the
# postmaster with its reaped children plus every live backend). wrk/pgbench, incidentd and
# PostgreSQL share the machine's cores: compare ratios from one run, never absolute numbers
# across runs.
#
# Usage: bench/alerts/run.sh      (about 7 minutes after the build; loopback only)
# Settings (environment): ROUNDS=3 DURATION=10 WARMUP=3 THREADS=2 CONNS=32 PORT=18280; incidentd's own
# INCIDENTD_* variables pass through (INCIDENTD_POOL_SIZE, default 20). PROFILE=1 adds, after the
# runs, an strace of one request's PostgreSQL round trips and a perf profile of incidentd.
# Raw output is kept in bench/results/alerts-<time>/ (gitignored).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3} # seconds of each warm-up run
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
PORT=${PORT:-18280}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
PSQL=/usr/lib/postgresql/15/bin/psql

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/alerts-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-alerts-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL and pgbench run as user postgres
PGWORK=$WORK/pgbench # pgbench's scripts and per-transaction logs, owned by postgres
KEYS=$WORK/keys      # dedup keys of the 2xx answers wrk saw
PGSOCK=$WORK/data/postgres
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS" "$PGWORK" "$KEYS"
chown postgres: "$PGWORK"

SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

server_ticks() { proc_ticks "$SERVER_PID" 12 13; }

psql_q() { runuser -u postgres -- "$PSQL" -h "$PGSOCK" -p 5432 -d incidentd -At -v ON_ERROR_STOP=1 "$@"; }

# api METHOD PATH KEY BODY: a JSON request; prints the body, fails on a non-2xx.
api() {
    curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
        --data "$4" "http://127.0.0.1:$PORT$2"
}

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# --- tools and build ----------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
[[ -x $PGBENCH ]] || { log "no $PGBENCH (Debian package postgresql-15)"; exit 1; }

log "building incidentd (release, --scratch-path .build-bench2)"
(cd "$ROOT" && swift build -c release --product incidentd --scratch-path .build-bench2 >"$RESULTS/build.log" 2>&1) ||
    { tail -n 30 "$RESULTS/build.log"; exit 1; }
BIN=$(cd "$ROOT" && swift build -c release --scratch-path .build-bench2 --show-bin-path)/incidentd

# --- server, service, keys ----------------------------------------------------------------------
log "starting incidentd (initdb + migrations of the embedded PostgreSQL)"
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$WORK/incidentd.log" &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$WORK/incidentd.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
ADMIN_KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }

SERVICE=bench-alerts       # what wrk's alerts name
PG_SERVICE=bench-pgbench   # what pgbench's rows go to, so the checks below count HTTP only
api POST /api/v1/services "$ADMIN_KEY" "{\"name\":\"$SERVICE\"}" >/dev/null
PG_SID=$(api POST /api/v1/services "$ADMIN_KEY" "{\"name\":\"$PG_SERVICE\"}" | json_field id)
KEY_JSON=$(api POST /api/v1/api-keys "$ADMIN_KEY" '{"name":"bench-responder","role":"responder"}')
KEY=$(json_field key <<<"$KEY_JSON")
KEY_PK=$(json_field id <<<"$KEY_JSON")
KEY_ID=$(json_field prefix <<<"$KEY_JSON")
KEY_ID=${KEY_ID#ikd_}
KEY_HASH=$(printf '%s' "$KEY" | sha256sum | cut -c1-64) # KeyFormat.hash: SHA-256 of the whole key
SID=$(psql_q -c "SELECT id FROM services WHERE name = '$SERVICE'")
DURABILITY=$(psql_q -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
                        WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')")
[[ $DURABILITY == *"fsync=on"* && $DURABILITY == *"synchronous_commit=on"* ]] ||
    { log "durability is off ($DURABILITY): refusing to measure"; exit 1; }

# --- pgbench scripts ----------------------------------------------------------------------------
# product_sql NAME: the text of `static let NAME: StaticString` in AlertTriggerSQL.swift, so the
# pgbench models run the product's own dedup clause and timeline wording, not a copy of them.
product_sql() {
    local text
    text=$(awk -v name="$1" '
        index($0, "static let " name ": StaticString = \"\"\"") { on = 1; next }
        on && /^ *"""/ { exit }
        on { print }' "$ROOT/Sources/Repositories/AlertTriggerSQL.swift")
    [[ -n $text ]] || { log "no $1 in Sources/Repositories/AlertTriggerSQL.swift"; exit 1; }
    printf '%s\n' "$text"
}
ON_CONFLICT=$(product_sql onConflict)
TIMELINE_KIND_BODY_DATA=$(product_sql timelineKindBodyData)

# script NAME KEY_EXPRESSION PARTS...: composes $PGWORK/NAME.sql from the SQL files in sql/,
# with @DEDUP_KEY@, @ON_CONFLICT@ and @TIMELINE_KIND_BODY_DATA@ replaced; comment lines dropped
# (pgbench would read :words in them).
NEW_KEY="(:label::text || '-' || :client_id || '-' || :n)"
STORM_KEY="('pgstorm-' || :k)"
script() {
    local name=$1 key=$2 part
    shift 2
    {
        echo '\set n :n + 1'
        for part in "$@"; do
            # Every trigger gets its own key: the next n, or another of the 100 storm keys.
            [[ $part == trigger-* ]] && printf '%s\n' '\set n :n + 1' '\set k random(0, 99)'
            grep -v '^ *--' "$HERE/sql/$part.sql"
        done
    } | sed "s/@DEDUP_KEY@/$key/" |
        awk -v conflict="$ON_CONFLICT" -v timeline="$TIMELINE_KIND_BODY_DATA" '
            /@ON_CONFLICT@/ { print conflict; next }
            /@TIMELINE_KIND_BODY_DATA@/ { print timeline; next }
            { print }' >"$PGWORK/$name.sql"
}
script pg-two "$NEW_KEY" trigger-two
script pg-cte "$NEW_KEY" trigger-cte
script pg-request "$NEW_KEY" request-begin trigger-cte-named request-commit
script pg-request-old "$NEW_KEY" request-old-before trigger-cte request-old-after
script pg-fused "$NEW_KEY" request-fused
script pg-cte-batch8 "$NEW_KEY" batch-begin trigger-cte trigger-cte trigger-cte trigger-cte trigger-cte trigger-cte \
    trigger-cte trigger-cte batch-commit
script pg-cte-storm "$STORM_KEY" trigger-cte
script pg-request-storm "$STORM_KEY" request-begin trigger-cte-named request-commit
chown -R postgres: "$PGWORK"

# --- runs ---------------------------------------------------------------------------------------
# Each run appends one row to $RESULTS/runs.tsv:
# name round rate p50_ms p99_ms errors count ok incidentd_us_per_op postgres_us_per_op client_us_per_op
# (rate: req/s or tps; count: requests or transactions; ok: 2xx answers or committed
# transactions; errors: socket errors + non-2xx, or failed transactions + aborted clients).
record() {
    local name=$1 round=$2 rate=$3 p50=$4 p99=$5 errors=$6 count=$7 ok=$8 s0=$9 s1=${10} p0=${11} p1=${12}
    local client=${13}
    awk -v OFS='\t' -v name="$name" -v round="$round" -v rate="$rate" -v p50="$p50" -v p99="$p99" \
        -v errors="$errors" -v count="$count" -v ok="$ok" -v s=$((s1 - s0)) -v p=$((p1 - p0)) \
        -v client="$client" -v tck="$CLK_TCK" 'BEGIN {
            if (count == 0) { print "no requests counted for " name > "/dev/stderr"; exit 1 }
            printf "%s\t%d\t%.0f\t%.2f\t%.2f\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\n", name, round, rate, p50, p99,
                errors, count, ok, s / tck * 1e6 / count, p / tck * 1e6 / count, client * 1e6 / count
        }' >>"$RESULTS/runs.tsv"
    log "$(tail -n1 "$RESULTS/runs.tsv" | tr '\t' ' ')"
}

# run_wrk NAME MODE LABEL ROUND: one wrk run of trigger.lua (ROUND 0: warm-up, not recorded).
# settle: a CHECKPOINT and a wait (up to 60 s) until no autovacuum worker is running, so no run
# pays for the WAL or the maintenance the previous one left (the new-key runs insert ~50,000
# rows each); logs the wait.
settle() { settle_postgres "$PGSOCK"; }

run_wrk() {
    local name=$1 mode=$2 label=$3 round=$4 out s0 s1 p0 p1 seconds=$DURATION
    out=$RESULTS/$name-r$round.txt
    ((round > 0)) || seconds=$WARMUP
    settle
    s0=$(server_ticks) p0=$(pg_ticks "$PGSOCK")
    /usr/bin/time -f '%U %S' -o "$out.time" \
        wrk -t"$THREADS" -c"$CONNS" -d"${seconds}s" --latency -s "$HERE/trigger.lua" "http://127.0.0.1:$PORT" \
        -- "$mode" "$KEY" "$SERVICE" "$label" "$KEYS/$mode-$label" >"$out" 2>&1
    s1=$(server_ticks) p1=$(pg_ticks "$PGSOCK")
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd died during $name"; cat "$out" >&2; exit 1; }
    ((round > 0)) || return 0
    local rps p50 p99 socket requests bad ok
    read -r rps p50 p99 socket _ requests < <(wrk_summary "$out")
    # Non-2xx as trigger.lua counted them (its done() line), and the 2xx answers.
    read -r bad ok < <(awk '/^statuses:/ {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] < 200 || kv[1] > 299) bad += kv[2]; else ok += kv[2] }
        } END { print bad + 0, ok + 0 }' "$out")
    record "$name" "$round" "$rps" "$p50" "$p99" $((socket + bad)) "$requests" "$ok" \
        "$s0" "$s1" "$p0" "$p1" "$(tail -n1 "$out.time" | awk '{ print $1 + $2 }')"
}

# run_pgbench NAME ROUND [ALERTS]: one pgbench run of $PGWORK/NAME.sql as user postgres on the
# embedded cluster's socket, with a per-transaction log for the percentiles. ALERTS (default 1)
# is the number of triggers per transaction: rate, counts and CPU are then per alert, the
# latencies stay per transaction.
run_pgbench() {
    local name=$1 round=$2 per_tx=${3:-1} out s0 s1 p0 p1 prefix seconds=$DURATION
    out=$RESULTS/$name-r$round.txt
    ((round > 0)) || seconds=$WARMUP
    settle
    prefix=$PGWORK/log-$name-r$round
    s0=$(server_ticks) p0=$(pg_ticks "$PGSOCK")
    (cd "$PGWORK" && /usr/bin/time -f '%U %S' -o "$out.time" \
        runuser -u postgres -- "$PGBENCH" -h "$PGSOCK" -p 5432 -n -M prepared -c "$CONNS" -j "$THREADS" \
        -T "$seconds" -l --log-prefix="$prefix" -f "$PGWORK/$name.sql" \
        -D sid="$PG_SID" -D actor=bench-responder -D label="pg-$name-r$round" -D n=0 \
        -D keyid="$KEY_ID" -D keypk="$KEY_PK" -D keyhash="$KEY_HASH" -D service="$PG_SERVICE" incidentd) >"$out" 2>&1 ||
        { log "pgbench $name failed"; tail -n 20 "$out" >&2; exit 1; }
    s1=$(server_ticks) p1=$(pg_ticks "$PGSOCK")
    ((round > 0)) || return 0
    local percentiles
    # Field 3 of pgbench's per-transaction log is the latency in microseconds.
    percentiles=$(cat "$prefix".* | awk '{ print $3 }' | sort -n | awk '
        { v[NR] = $1 }
        END { i = int(NR * 0.5); j = int(NR * 0.99); if (i < 1) i = 1; if (j < 1) j = 1
              printf "%.3f %.3f", v[i] / 1000, v[j] / 1000 }')
    # shellcheck disable=SC2046
    record "$name" "$round" $(awk -v pct="$percentiles" -v per_tx="$per_tx" '
        /^tps = / { tps = $3 }
        /^number of transactions actually processed:/ { split($NF, t, "/"); done = t[1] }
        /^number of failed transactions:/ { failed = $5 }
        /aborted in command|client [0-9]+ aborted/ { aborted++ }
        END { split(pct, p, " "); print tps * per_tx, p[1], p[2], failed + aborted, (done + failed) * per_tx, done * per_tx }' "$out") \
        "$s0" "$s1" "$p0" "$p1" "$(tail -n1 "$out.time" | awk '{ print $1 + $2 }')"
    rm -f "$prefix".*
}

log "warm-up (not recorded)"
run_wrk http-new new warm 0
run_wrk http-storm storm warm 0
run_pgbench pg-request 0
run_pgbench pg-request-storm 0

log "runs: rounds=$ROUNDS duration=${DURATION}s threads=$THREADS conns=$CONNS"
# The order rotates by three places each round, and every run starts once autovacuum is idle
# (settle): a run that always came right after the heavy new-key runs shared the machine with
# the autovacuum they set off (seen: the storm runs, 8th and 9th, were the slow ones of a round,
# HTTP and pgbench alike).
RUNS=("run_wrk http-new new" "run_pgbench pg-two" "run_pgbench pg-cte" "run_pgbench pg-request"
    "run_pgbench pg-request-old" "run_pgbench pg-fused" "run_pgbench pg-cte-batch8"
    "run_wrk http-storm storm" "run_pgbench pg-cte-storm" "run_pgbench pg-request-storm")
for round in $(seq 1 "$ROUNDS"); do
    for index in "${!RUNS[@]}"; do
        entry=${RUNS[$(((index + (round - 1) * 3) % ${#RUNS[@]}))]}
        case $entry in
        run_wrk*) $entry "r$round" "$round" ;;
        *batch8) $entry "$round" 8 ;;
        *) $entry "$round" ;;
        esac
    done
done

# --- durability: every trigger answered 2xx is committed ----------------------------------------
# New keys: each 2xx answer's dedup key must name an alert of the service (extra alerts are
# requests wrk left in flight when its time was up: committed, never answered to it).
# Storm: the alerts' event_count must add up to at least the 2xx answers.
sort "$KEYS"/new-* >"$WORK/answered-new"
psql_q -c "SELECT dedup_key FROM alerts WHERE service_id = $SID AND dedup_key NOT LIKE 'storm-%'" |
    sort >"$WORK/committed-new"
ANSWERED_NEW=$(wc -l <"$WORK/answered-new")
COMMITTED_NEW=$(wc -l <"$WORK/committed-new")
DISTINCT_NEW=$(uniq "$WORK/answered-new" | wc -l)
MISSING_NEW=$(comm -23 "$WORK/answered-new" "$WORK/committed-new" | wc -l)
UNSEEN_NEW=$(comm -13 "$WORK/answered-new" "$WORK/committed-new" | wc -l)
ANSWERED_STORM=$(cat "$KEYS"/storm-* | wc -l)
read -r STORM_ALERTS STORM_EVENTS <<<"$(psql_q -F ' ' -c "SELECT count(*), coalesce(sum(event_count), 0)
    FROM alerts WHERE service_id = $SID AND dedup_key LIKE 'storm-%'")"
read -r EVENTS TIMELINE AUDIT <<<"$(psql_q -F ' ' -c "SELECT
    (SELECT sum(event_count) FROM alerts WHERE service_id = $SID),
    (SELECT count(*) FROM timeline_entries t JOIN alerts a ON a.id = t.alert_id WHERE a.service_id = $SID),
    (SELECT count(*) FROM audit_log WHERE actor_id = $KEY_PK AND actor_kind = 'api_key' AND request_id NOT LIKE 'pgbench-%')")"
# pg-fused inserts nothing when its key check fails: its alerts must match its transactions.
FUSED_TX=$(awk -F'\t' '$1 == "pg-fused" { s += $8 } END { print s + 0 }' "$RESULTS/runs.tsv")
FUSED_ROWS=$(psql_q -c "SELECT count(*) FROM alerts WHERE dedup_key LIKE 'pg-pg-fused-%'")
WRK_OK=$(awk -F'\t' '$1 ~ /^http-/ { s += $8 } END { print s + 0 }' "$RESULTS/runs.tsv")

# --- table --------------------------------------------------------------------------------------
{
    printf 'POST /api/v1/alerts (wrk -t%s -c%s -d%ss --latency) against pgbench -M prepared -c %s -j %s -T %s,\n' \
        "$THREADS" "$CONNS" "$DURATION" "$CONNS" "$THREADS" "$DURATION"
    printf 'median of %s alternated runs (%s)\n' "$ROUNDS" "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf 'machine: %s cores, %s, load average %s; PostgreSQL: %s\n\n' "$(nproc)" \
        "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
        "$DURABILITY"
    awk -F'\t' '
        function median(key,   n, i, j, t, v) {
            n = split(vals[key], v, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
                t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
            }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        {
            if (!($1 in seen)) { seen[$1] = 1; order[++names] = $1 }
            for (c = 3; c <= 11; c++) if (c != 6) vals[$1, c] = vals[$1, c] " " $c
            errors[$1] += $6
        }
        END {
            printf "| run | req/s or tps | p50 ms | p99 ms | errors (sum) | incidentd CPU us/op | PostgreSQL CPU us/op | client CPU us/op | rate per run |\n"
            printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            for (i = 1; i <= names; i++) {
                n = order[i]
                for (c = 3; c <= 11; c++) if (c != 6) m[n, c] = median(n SUBSEP c)
                printf "| %s | %.0f | %.2f | %.2f | %d | %.1f | %.1f | %.1f |%s |\n", n, m[n, 3], m[n, 4], m[n, 5],
                    errors[n], m[n, 9], m[n, 10], m[n, 11], vals[n, 3]
            }
            printf "\n| ratio (medians) | value | target |\n| --- | ---: | --- |\n"
            verdict(m["http-new", 3] / m["pg-two", 3], "http-new / pg-two (issue 5: ingest / pgbench alert + timeline transaction)", ">= 0.7", 0.7)
            verdict(m["http-new", 3] / m["pg-cte", 3], "http-new / pg-cte (the product'"'"'s own one-statement SQL)", ">= 0.7", 0.7)
            verdict(m["http-new", 3] / m["pg-request", 3], "http-new / pg-request (the same SQL incidentd sends per request)", "", "")
            verdict(m["pg-request", 3] / m["pg-request-old", 3], "pg-request / pg-request-old (two round trips per request against six)", "", "")
            verdict(m["pg-fused", 3] / m["pg-request", 3], "pg-fused / pg-request (one round trip per request against two)", "", "")
            verdict(m["pg-cte-batch8", 3] / m["pg-cte", 3], "pg-cte-batch8 / pg-cte (alerts/s: 8 triggers per COMMIT against 1)", "", "")
            verdict(m["http-storm", 3] / m["http-new", 3], "http-storm / http-new", ">= 1", 1)
            verdict(m["http-storm", 3] / m["pg-cte-storm", 3], "http-storm / pg-cte-storm", "", "")
            verdict(m["http-storm", 3] / m["pg-request-storm", 3], "http-storm / pg-request-storm", "", "")
            printf "| http-new p99 | %.2f ms | < 50 ms: %s |\n", m["http-new", 5], (m["http-new", 5] < 50 ? "met" : "MISSED")
            printf "| http-storm p99 | %.2f ms | < 50 ms: %s |\n", m["http-storm", 5], (m["http-storm", 5] < 50 ? "met" : "MISSED")
        }
        function verdict(value, label, target, floor) {
            if (floor == "") printf "| %s | %.2f | |\n", label, value
            else printf "| %s | %.2f | %s: %s |\n", label, value, target, (value >= floor ? "met" : "MISSED")
        }' "$RESULTS/runs.tsv"
    printf '\nDurability (warm-up runs included):\n'
    printf -- '- new keys: %s answered 2xx (%s different), %s committed alerts; answered but not committed: %s; committed but the answer not seen by wrk (in flight at the end of a run): %s\n' \
        "$ANSWERED_NEW" "$DISTINCT_NEW" "$COMMITTED_NEW" "$MISSING_NEW" "$UNSEEN_NEW"
    printf -- '- storm: %s answered 2xx, %s alerts with event_count adding up to %s; answered but not counted: %s\n' \
        "$ANSWERED_STORM" "$STORM_ALERTS" "$STORM_EVENTS" "$((ANSWERED_STORM > STORM_EVENTS ? ANSWERED_STORM - STORM_EVENTS : 0))"
    printf -- '- every trigger has its timeline row: %s events, %s timeline rows; %s audit rows\n' \
        "$EVENTS" "$TIMELINE" "$AUDIT"
    printf -- '- 2xx answers in the recorded HTTP runs: %s\n' "$WRK_OK"
    printf -- '- pg-fused: %s transactions, %s alerts inserted (equal: its key check passed every time)\n' \
        "$FUSED_TX" "$FUSED_ROWS"
    if ((MISSING_NEW == 0 && DISTINCT_NEW == ANSWERED_NEW && ANSWERED_STORM <= STORM_EVENTS && EVENTS == TIMELINE && EVENTS == AUDIT)); then
        echo 'durability check: PASSED (every 2xx-answered trigger is committed with its timeline and audit rows)'
    else
        echo 'durability check: FAILED'
    fi
} | tee "$RESULTS/table.md"

# --- where the time goes (PROFILE=1) ------------------------------------------------------------
# One request's conversation with PostgreSQL (strace of incidentd's threads: each sendto on the
# PostgreSQL socket is one round trip; a libpq pipeline, several statements before one Sync, is
# one sendto, labelled with every statement it carries: BEGIN, COMMIT, incidentd_sN = a
# prepared statement; P = parse first, B = bind/execute first, Q = simple query), then a perf profile of incidentd during an unrecorded new-key wrk run.
if [[ ${PROFILE:-0} == 1 ]]; then
    command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null
    command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
    # One untraced trigger first: the key's cached check may be due (once a minute), and that
    # request would show the refresh, not a trigger.
    curl -sS -o /dev/null -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        --data "{\"service\":\"$SERVICE\",\"source\":\"curl\",\"summary\":\"before trace\",\"dedup_key\":\"pretrace\"}" \
        "http://127.0.0.1:$PORT/api/v1/alerts"
    strace -f -tt -s 4096 -p "$SERVER_PID" -e trace=sendto -o "$RESULTS/strace.txt" 2>/dev/null &
    STRACE_PID=$!
    sleep 2
    curl -sS -o /dev/null -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        --data "{\"service\":\"$SERVICE\",\"source\":\"curl\",\"summary\":\"traced\",\"severity\":\"warning\",\"dedup_key\":\"traced\"}" \
        "http://127.0.0.1:$PORT/api/v1/alerts"
    sleep 1
    kill -INT "$STRACE_PID"
    wait "$STRACE_PID" 2>/dev/null || true
    {
        printf '\nOne POST /api/v1/alerts, messages incidentd sent to PostgreSQL (strace):\n'
        # The thread that sent the traced trigger (its dedup key "traced" is among the bound
        # values), from its first message up to its COMMIT: background work of incidentd (the
        # credential listener's SELECT 1, the SLA job) talks to PostgreSQL on other threads. The
        # file is read twice: once to find that thread.
        awk 'NR == FNR { if (tid == "" && $3 ~ /^sendto\(/ && $0 ~ /traced/) tid = $1; next }
            $3 ~ /^sendto\([0-9]+,$/ && $4 ~ /^"[BPQ]/ {
                if ($1 != tid) next
                kind = substr($4, 2, 1)
                names = ""; parts = 0; rest = $0
                while (match(rest, /incidentd_s[0-9]+|BEGIN|COMMIT|ROLLBACK/)) {
                    names = names (parts++ ? " + " : " ") substr(rest, RSTART, RLENGTH)
                    rest = substr(rest, RSTART + RLENGTH)
                }
                what = kind == "Q" ? "simple query" : parts > 1 ? "pipeline" : kind == "P" ? "prepare" : "bind+execute"
                printf "  %s %s%s, %s bytes\n", $2, what, names, $NF; trips++
                if ($0 ~ /COMMIT/) exit
            }
            END { printf "  round trips to PostgreSQL: %d\n", trips }' "$RESULTS/strace.txt" "$RESULTS/strace.txt"
    } | tee -a "$RESULTS/table.md"
    perf record -e cpu-clock -F 999 -g -p "$SERVER_PID" -o "$RESULTS/perf.data" -- sleep $((DURATION - 2)) \
        >"$RESULTS/perf-record.log" 2>&1 &
    PERF_PID=$!
    WARMUP=$DURATION run_wrk http-new new profile 0
    wait "$PERF_PID"
    perf report -i "$RESULTS/perf.data" --children --sort sym -q -g none 2>/dev/null | swift demangle --simplified \
        >"$RESULTS/perf-children.txt"
    {
        printf '\nincidentd CPU samples during a new-key run (perf, inclusive %%, selected frames):\n'
        for frame in 'closure #3 in WorkerPool.init' 'EventLoop.run()' 'static APIRouter.authenticate' \
            'TransactionRunner.run' 'AlertsController.create' 'PostgresConnection.query(_:)$' \
            'PostgresConnection.commit()' 'AlertsController.triggerResponse' 'HTTPRequest.decodeJSON' \
            'AlertRecord.init(row:)' 'NewAlert.validate' 'StringProtocol.trimmingCharacters' \
            'JSONEncoder.encode<A>(_:)$' 'JSONDecoder.decode<A>(_:from:)$' '\[k\] do_syscall_64' \
            '\[k\] __x64_sys_futex'; do
            grep -m1 -- "$frame" "$RESULTS/perf-children.txt" | awk '{ $2 = ""; print "  " $0 }' || true
        done
    } | tee -a "$RESULTS/table.md"
fi
log "raw output: $RESULTS"
