#!/usr/bin/env bash
# Faults under load against a release build, with a ledger of every acknowledged write
# (scripts/reliability/ledger_load.py): alert intake at RATE req/s, half on the native route,
# half on PagerDuty's Events v2 route. incidentd runs on a PostgreSQL of this script's own
# (a scratch cluster on a free port), so either side can be broken on its own.
#
#   scripts/reliability/faults.sh kill9  [--runs N] [--seconds S] [--rate R]
#       kill -9 of incidentd at a random moment in each run, restarted at once; every alert
#       acknowledged (2xx) before the kill must be stored.
#   scripts/reliability/faults.sh pgkill|pgrestart [--seconds S] [--rate R] [--down S]
#       PostgreSQL's postmaster and backends killed (SIGKILL) after S/3 seconds of load, started again
#       (crash recovery) --down seconds later, load going on 6 s more: clients may get only 2xx and 503, no acknowledged
#       write may be lost, and normal service must be back within 5 s of PostgreSQL's restart.
#       pgrestart: the same with a fast shutdown (`pg_ctl stop -m fast`) instead of SIGKILL.
#   scripts/reliability/faults.sh pgstop [--seconds S] [--rate R] [--down S]
#       every PostgreSQL process SIGSTOPped after S/3 seconds of load (a hung database: connections
#       open, nothing answers), SIGCONT --down seconds later (default 40), load going on 6 s more,
#       /readyz probed every 0.25 s throughout: every request answered within its deadline
#       (INCIDENTD_REQUEST_TIMEOUT, default 10 s) + 1 s, only 2xx and 503 with Retry-After, no
#       acknowledged write lost, normal service within 5 s of SIGCONT, every /readyz within 2 s.
#
# docs/RELIABILITY.md records a run of each. Loopback only; everything lives in a scratch folder
# that is removed afterwards (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
mode=${1:?usage: faults.sh kill9|pgkill|pgrestart|pgstop [options]}
shift
runs=3 seconds=10 rate=300 down=""
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --down) down=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$down" ] || { [ "$mode" = pgstop ] && down=40 || down=2; }
swift build -c release --product incidentd >&2
binary=$PWD/.build/release/incidentd
load=$PWD/scripts/reliability/ledger_load.py

WORK=$(mktemp -d /tmp/incidentd-faults.XXXXXX)
chmod 755 "$WORK"
PORT=${PORT:-18790}
PGPORT=${PGPORT:-18791}
PGDATA=$WORK/pg
server="" stopped=""
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    # shellcheck disable=SC2086 # a pgstop run cut short leaves PostgreSQL stopped
    [ -z "$stopped" ] || kill -CONT $stopped 2>/dev/null || true
    [ -n "$server" ] && { kill -TERM "$server" 2>/dev/null || true; wait_exit "$server" 20 || kill -KILL "$server" 2>/dev/null || true; }
    as_postgres pg_ctl -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

mkdir -p "$PGDATA" "$WORK/pgrun"
chown postgres "$PGDATA" "$WORK/pgrun" 2>/dev/null || true
as_postgres initdb -D "$PGDATA" -U postgres -A trust >/dev/null
pg_start() {
    as_postgres pg_ctl -D "$PGDATA" -l "$WORK/pgrun/postgres.log" -w -t 60 \
        -o "-p $PGPORT -k $WORK/pgrun -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}
pg_start
psql_cmd="psql -h 127.0.0.1 -p $PGPORT -U postgres -d incidentd"
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE incidentd'
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/incidentd"

start_server() { # start_server LOG: incidentd in the background, back once /healthz answers
    "$binary" serve --host 127.0.0.1 --port "$PORT" >"$1" 2>&1 &
    server=$!
    for _ in $(seq 1 600); do
        curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
    log "incidentd did not start:"; tail -n 20 "$1" >&2; exit 1
}
now() { date +%s.%N; }

start_server "$WORK/serve-0.log"
key=$("$binary" keys create --role admin --name reliability | grep -o 'ikd_[a-z0-9]*' | head -n 1)
[ -n "$key" ] || { log "no admin key printed"; exit 1; }
api() { curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
api "http://127.0.0.1:$PORT/api/v1/services" -d '{"name":"reliability"}' >/dev/null
routing_key=$(api "http://127.0.0.1:$PORT/api/v1/services/reliability/integrations" -d '{"kind":"pagerduty"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["routing_key"])')

status=0
case "$mode" in
kill9)
    for run in $(seq 1 "$runs"); do
        ledger=$WORK/ledger-$run.txt events=$WORK/events-$run.jsonl
        python3 "$load" run --port "$PORT" --key "$key" --routing-key "$routing_key" --seconds "$seconds" \
            --rate "$rate" --tag "k9r$run-$RANDOM" --ledger "$ledger" --events "$events" &
        loader=$!
        # Somewhere in the middle half of the run.
        sleep "$(python3 -c "import random; print(round($seconds * random.uniform(0.25, 0.75), 2))")"
        killed_at=$(now)
        kill -KILL "$server"
        wait "$server" 2>/dev/null || true
        start_server "$WORK/serve-$run.log"
        restored_at=$(now)
        wait "$loader"
        first=$(python3 -c "import json; print(json.loads(open('$events').readline())['sent'])")
        log "run $run: killed at +$(python3 -c "print(round($killed_at - $first, 2))") s, serving again $(python3 -c "print(round($restored_at - $killed_at, 2))") s later"
        python3 "$load" summarize --events "$events" --fault-at "$killed_at" --restored-at "$restored_at"
        python3 "$load" verify --ledger "$ledger" --psql "$psql_cmd" || status=1
    done
    ;;
pgkill | pgrestart)
    ledger=$WORK/ledger.txt events=$WORK/events.jsonl
    # The load goes on until 6 s after PostgreSQL is back, however long its recovery takes.
    python3 "$load" run --port "$PORT" --key "$key" --routing-key "$routing_key" --seconds 600 \
        --rate "$rate" --tag "pgk-$RANDOM" --ledger "$ledger" --events "$events" &
    loader=$!
    sleep "$(python3 -c "print(round($seconds / 3, 2))")"
    killed_at=$(now)
    if [ "$mode" = pgkill ]; then
        postmaster=$(head -n 1 "$PGDATA/postmaster.pid")
        backends=$(ps -o pid= --ppid "$postmaster" | tr '\n' ' ')
        # shellcheck disable=SC2086 # one pid per word
        kill -KILL "$postmaster" $backends 2>/dev/null || true
        sleep "$down"
        rm -f "$PGDATA/postmaster.pid"
    else
        # An operator's restart: sessions are ended (fast shutdown), then it starts again.
        as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
        sleep "$down"
    fi
    pg_start
    restored_at=$(now)
    sleep 6
    kill -TERM "$loader"
    wait "$loader"
    log "PostgreSQL ${mode#pg}ed, started again after $(python3 -c "print(round($restored_at - $killed_at, 2))") s (recovery included)"
    summary=$(python3 "$load" summarize --events "$events" --fault-at "$killed_at" --restored-at "$restored_at")
    echo "$summary"
    python3 "$load" verify --ledger "$ledger" --psql "$psql_cmd" || status=1
    python3 - "$summary" <<'PY' || status=1
import json, sys
s = json.loads(sys.argv[1])
bad = {k: v for k, v in s["statuses"].items() if not (k.startswith("2") or k == "503")}
if s["503_without_retry_after"]:
    bad["503 without Retry-After"] = s["503_without_retry_after"]
normal = s.get("normal_service_after_restore_s")
print(json.dumps({"other_than_2xx_or_503": bad, "normal_within_5s": normal is not None and normal <= 5}))
sys.exit(0 if not bad and normal is not None and normal <= 5 else 1)
PY
    ;;
pgstop)
    ledger=$WORK/ledger.txt events=$WORK/events.jsonl probes=$WORK/readyz.jsonl
    deadline=${INCIDENTD_REQUEST_TIMEOUT:-10}
    # Slots that fell due while every connection waited are skipped, not sent in one burst at SIGCONT;
    # the client's timeout is past the deadline + 1 s, so an answer later than that is still seen.
    python3 "$load" run --port "$PORT" --key "$key" --routing-key "$routing_key" --seconds 600 \
        --rate "$rate" --max-lag 1 --timeout "$((deadline + 10))" --tag "pgs-$RANDOM" \
        --ledger "$ledger" --events "$events" &
    loader=$!
    python3 "$load" probe --port "$PORT" --path /readyz --interval 0.25 --events "$probes" &
    prober=$!
    sleep "$(python3 -c "print(round($seconds / 3, 2))")"
    postmaster=$(head -n 1 "$PGDATA/postmaster.pid")
    stopped_at=$(now)
    # The postmaster first, so it forks nothing new while its children are listed and stopped.
    stopped=$postmaster
    kill -STOP "$postmaster"
    children=$(ps -o pid= --ppid "$postmaster" | tr '\n' ' ')
    stopped="$postmaster $children"
    # shellcheck disable=SC2086 # one pid per word
    kill -STOP $children 2>/dev/null || true
    log "stopped postmaster $postmaster and $(wc -w <<<"$children") children for $down s"
    sleep "$down"
    # shellcheck disable=SC2086
    kill -CONT $children "$postmaster" 2>/dev/null || true
    continued_at=$(now) stopped=""
    sleep 6
    kill -TERM "$loader" "$prober"
    wait "$loader" "$prober"
    summary=$(python3 "$load" summarize --events "$events" --fault-at "$stopped_at" --restored-at "$continued_at" \
        --deadline "$((deadline + 1))")
    echo "$summary"
    readyz=$(python3 "$load" summarize --events "$probes" --deadline 2)
    echo "readyz: $readyz"
    python3 "$load" verify --ledger "$ledger" --psql "$psql_cmd" || status=1
    python3 - "$summary" "$readyz" <<'PY' || status=1
import json, sys
s, r = json.loads(sys.argv[1]), json.loads(sys.argv[2])
bad = {k: v for k, v in s["statuses"].items() if not (k.startswith("2") or k == "503")}
if s["503_without_retry_after"]:
    bad["503 without Retry-After"] = s["503_without_retry_after"]
normal = s.get("normal_service_after_restore_s")
readyz_bad = {k: v for k, v in r["statuses"].items() if k not in ("200", "503")}
verdict = {"other_than_2xx_or_503": bad, "over_deadline_plus_1s": s["over_deadline"],
           "normal_within_5s": normal is not None and normal <= 5,
           "readyz_over_2s": r["over_deadline"], "readyz_unanswered": readyz_bad}
print(json.dumps(verdict))
ok = not bad and not s["over_deadline"] and verdict["normal_within_5s"] and not r["over_deadline"] and not readyz_bad
sys.exit(0 if ok else 1)
PY
    ;;
*) echo "unknown mode $mode" >&2; exit 2 ;;
esac
if [ "$status" -eq 0 ]; then log "$mode: passed"; else log "$mode: FAILED"; fi
exit $status
