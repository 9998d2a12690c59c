#!/usr/bin/env bash
# Notifications (issue 14, "Benchmark"): what the outbox and the delivery workers cost.
#
# One release incidentd on its embedded PostgreSQL (fsync and synchronous_commit on), one
# webhook channel pointing at a fast local receiver (nginx, `return 204`, loopback), and:
#   idle        the server's CPU over IDLE_SECONDS with nothing to send (utime + stime of the
#               whole process and of its delivery threads, /proc/PID/task/TID/stat; and of
#               PostgreSQL, which answers the workers' looks at the outbox), in % of one core
#   ingest      POST /api/v1/alerts (wrk, bench/alerts/trigger.lua, new dedup keys, warning)
#               alternately with the channel subscribed to alert.triggered ("with": every
#               trigger also writes a delivery, which the workers send while wrk runs) and with
#               it disabled ("without": nothing is fanned out), ROUNDS times each, the order
#               swapping every round; after a "with" run the backlog is drained before the next
#               run starts, and the time that took is recorded; and "outbox-only": subscribed,
#               but the channel's URL is a socket that never answers (a listen backlog nobody
#               accepts), so the four senders sit in their HTTP timeout and nothing is sent during
#               the run: the cost of writing the deliveries in the ingest transaction alone (the
#               URL is set back afterwards and the backlog drained)
#   deliveries  DELIVERIES pending deliveries written at once (one INSERT ... generate_series of
#               an existing event), timed from their commit until none is pending (looked at
#               every 50 ms), ROUNDS times; nginx's access log counts the requests that arrived
# then prints the medians and the ratios issue 14 sets targets for:
#   ingest with / without >= 0.8, deliveries >= 1,000/s, idle delivery workers < 5 % CPU.
#
# wrk, nginx, incidentd and PostgreSQL share the machine's cores: compare ratios from one
# run, never absolute numbers across runs. Short by default (about 3 minutes after the build).
# Usage: bench/notifications/run.sh     (loopback only)
# Settings (environment): ROUNDS=3 DURATION=10 WARMUP=3 THREADS=2 CONNS=32 DELIVERIES=10000
#   IDLE_SECONDS=30 PORT=18290 SINK_PORT=18291 SCRATCH=.build-bench2 SKIP_BUILD=1 (use the
#   binary already built there); incidentd's INCIDENTD_* variables pass through
#   (INCIDENTD_DELIVERY_WORKERS, default 4). Raw output: bench/results/notifications-<time>/.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DELIVERIES=${DELIVERIES:-10000}
IDLE_SECONDS=${IDLE_SECONDS:-30}
PORT=${PORT:-18290}
SINK_PORT=${SINK_PORT:-18291}
STALL_PORT=${STALL_PORT:-18292}
SCRATCH=${SCRATCH:-.build-bench2}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations
PSQL=/usr/lib/postgresql/15/bin/psql

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/notifications-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-notifications-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
PGSOCK=$WORK/data/postgres
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS" "$WORK/nginx"

SERVER_PID=
NGINX_PID=
STALL_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() {
    [[ -z $STALL_PID ]] || { kill -KILL "$STALL_PID" 2>/dev/null; wait "$STALL_PID" 2>/dev/null || true; }
    [[ -z $NGINX_PID ]] || { kill -TERM "$NGINX_PID" 2>/dev/null || true; wait_exit "$NGINX_PID" 10 || true; }
    stop_bench ${SERVER_PID:+"$SERVER_PID"}
}
trap cleanup EXIT

psql_q() { runuser -u postgres -- "$PSQL" -h "$PGSOCK" -p 5432 -d incidentd -At -v ON_ERROR_STOP=1 "$@"; }
api() {
    curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
        --data "$4" "http://127.0.0.1:$PORT$2"
}
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
now_ms() { date +%s%3N; }
# wait_drained: returns once no delivery is pending, looking every 50 ms from one session (a
# psql per look would start a backend each time and count in PostgreSQL's CPU).
wait_drained() {
    psql_q -c "DO \$\$ BEGIN
        WHILE EXISTS (SELECT 1 FROM deliveries WHERE state = 'pending') LOOP PERFORM pg_sleep(0.05); END LOOP;
    END \$\$" >/dev/null
}
sink_requests() { wc -l <"$WORK/nginx/access.log"; }

# delivery_ticks: CPU ticks of incidentd's delivery threads (senders and their listener), found
# by thread name (RepeatingThread names them delivery-send-N, delivery_listener; the kernel
# keeps the first 15 characters).
delivery_ticks() {
    local task total=0 comm
    for task in /proc/"$SERVER_PID"/task/*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        [[ $comm == delivery* ]] || continue
        total=$((total + $(proc_ticks "$SERVER_PID/task/${task##*/}" 12 13)))
    done
    echo "$total"
}

# --- tools, build, receiver ---------------------------------------------------------------------
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { log "installing $tool"; apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    log "building incidentd (release, --scratch-path $SCRATCH)"
    (cd "$ROOT" && swift build -c release --product incidentd --scratch-path "$SCRATCH" >"$RESULTS/build.log" 2>&1) ||
        { tail -n 30 "$RESULTS/build.log"; exit 1; }
fi
BIN=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/incidentd

cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
    log_format status '\$status';
    access_log $WORK/nginx/access.log status;
    client_body_temp_path $WORK/nginx/body;
    server {
        listen 127.0.0.1:$SINK_PORT;
        location / { return 204; }
    }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
until curl -s -o /dev/null "http://127.0.0.1:$SINK_PORT/"; do sleep 0.05; done
# The receiver that never answers: connections land in the listen backlog, nobody reads them.
python3 -c "import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $STALL_PORT)); s.listen(1024); time.sleep(86400)" &
STALL_PID=$!

# --- server, service, keys, channel --------------------------------------------------------------
log "starting incidentd (initdb + migrations of the embedded PostgreSQL)"
# A 2 s HTTP timeout: a sender stuck on the never-answering socket is free again soon.
INCIDENTD_OUTBOUND_ALLOW=127.0.0.0/8 INCIDENTD_HTTP_TIMEOUT=${INCIDENTD_HTTP_TIMEOUT:-2s} "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
    >"$WORK/stdout.log" 2>"$WORK/incidentd.log" &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/readyz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$WORK/incidentd.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "not ready after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
ADMIN_KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }
SERVICE=bench-alerts
api POST /api/v1/services "$ADMIN_KEY" "{\"name\":\"$SERVICE\"}" >/dev/null
KEY=$(api POST /api/v1/api-keys "$ADMIN_KEY" '{"name":"bench-responder","role":"responder"}' | json_field key)
CHANNEL=$(api POST /api/v1/channels "$ADMIN_KEY" "{\"name\":\"sink\",\"kind\":\"webhook\",
    \"url\":\"http://127.0.0.1:$SINK_PORT/hook\",\"events\":[\"alert.triggered\"],\"enabled\":false}" | json_field id)
subscribe() { api PATCH "/api/v1/channels/$CHANNEL" "$ADMIN_KEY" "{\"enabled\":$1}" >/dev/null; }
point_at() { api PATCH "/api/v1/channels/$CHANNEL" "$ADMIN_KEY" "{\"url\":\"http://127.0.0.1:$1/hook\"}" >/dev/null; }
DURABILITY=$(psql_q -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
                        WHERE name IN ('fsync', 'synchronous_commit')")
[[ $DURABILITY == *"fsync=on"* && $DURABILITY == *"synchronous_commit=on"* ]] ||
    { log "durability is off ($DURABILITY): refusing to measure"; exit 1; }
printf 'name\tround\trate\tp99_ms\tcount\tseconds\tincidentd_us\tpostgres_us\textra\n' >"$RESULTS/runs.tsv"
record() { printf '%s\t' "$@" | sed 's/\t$/\n/' >>"$RESULTS/runs.tsv"; log "$*"; }

# --- idle ---------------------------------------------------------------------------------------
log "idle: ${IDLE_SECONDS}s with nothing to send"
sleep 5
s0=$(proc_ticks "$SERVER_PID" 12 13) d0=$(delivery_ticks) p0=$(pg_ticks "$PGSOCK")
sleep "$IDLE_SECONDS"
s1=$(proc_ticks "$SERVER_PID" 12 13) d1=$(delivery_ticks) p1=$(pg_ticks "$PGSOCK")
THREADS_SEEN=$(cat /proc/"$SERVER_PID"/task/*/comm | grep -c '^delivery' || true)
cat /proc/"$SERVER_PID"/task/*/comm | sort | uniq -c >"$RESULTS/threads.txt"
IDLE=$(awk -v s=$((s1 - s0)) -v d=$((d1 - d0)) -v p=$((p1 - p0)) -v t="$CLK_TCK" -v secs="$IDLE_SECONDS" \
    'BEGIN { printf "%.2f %.2f %.2f", s / t / secs * 100, d / t / secs * 100, p / t / secs * 100 }')
log "idle CPU (% of one core): incidentd, its $THREADS_SEEN delivery threads, PostgreSQL: $IDLE"

# --- ingest with and without the subscribed channel ---------------------------------------------
# run_ingest MODE ROUND (ROUND 0: warm-up, not recorded)
run_ingest() {
    local mode=$1 round=$2 out seconds=$DURATION s0 s1 p0 p1 n0 n1 start drained
    out=$RESULTS/ingest-$mode-r$round.txt
    ((round > 0)) || seconds=$WARMUP
    [[ $mode == without ]] && subscribe false || subscribe true
    [[ $mode == outbox-only ]] && point_at "$STALL_PORT" || point_at "$SINK_PORT"
    settle_postgres "$PGSOCK"
    n0=$(sink_requests) s0=$(proc_ticks "$SERVER_PID" 12 13) p0=$(pg_ticks "$PGSOCK")
    start=$(now_ms)
    wrk -t"$THREADS" -c"$CONNS" -d"${seconds}s" --latency -s "$ROOT/bench/alerts/trigger.lua" \
        "http://127.0.0.1:$PORT" -- new "$KEY" "$SERVICE" "$mode-r$round" - >"$out" 2>&1
    s1=$(proc_ticks "$SERVER_PID" 12 13) p1=$(pg_ticks "$PGSOCK")
    # The backlog the run left is sent before anything else is measured.
    point_at "$SINK_PORT"
    wait_drained
    drained=$(now_ms)
    n1=$(sink_requests)
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd died during $mode"; exit 1; }
    ((round > 0)) || return 0
    local rps p99 requests ok
    read -r rps _ p99 _ _ requests < <(wrk_summary "$out")
    ok=$(awk '/^statuses:/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] >= 200 && kv[1] < 300) n += kv[2] } } END { print n + 0 }' "$out")
    record "ingest-$mode" "$round" "$rps" "$p99" "$requests" "$(awk -v a="$start" -v b="$drained" 'BEGIN { printf "%.2f", (b - a) / 1000 }')" \
        "$(awk -v s=$((s1 - s0)) -v t="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", s / t * 1e6 / n }')" \
        "$(awk -v s=$((p1 - p0)) -v t="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", s / t * 1e6 / n }')" \
        "2xx=$ok sent=$((n1 - n0))"
}

# --- delivery throughput ------------------------------------------------------------------------
run_deliveries() {
    local round=$1 count=$DELIVERIES start done_ms s0 s1 p0 p1 n0 n1 event
    ((round > 0)) || count=$((DELIVERIES / 5))
    subscribe true
    settle_postgres "$PGSOCK"
    event=$(psql_q -c "SELECT max(id) FROM events")
    n0=$(sink_requests) s0=$(proc_ticks "$SERVER_PID" 12 13) p0=$(pg_ticks "$PGSOCK")
    start=$(now_ms)
    psql_q -c "INSERT INTO deliveries (event_id, channel_id) SELECT $event, $CHANNEL FROM generate_series(1, $count)" >/dev/null
    wait_drained
    done_ms=$(now_ms)
    s1=$(proc_ticks "$SERVER_PID" 12 13) p1=$(pg_ticks "$PGSOCK")
    n1=$(sink_requests)
    ((round > 0)) || return 0
    local seconds
    seconds=$(awk -v a="$start" -v b="$done_ms" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
    record deliveries "$round" "$(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')" 0 "$count" "$seconds" \
        "$(awk -v s=$((s1 - s0)) -v t="$CLK_TCK" -v n="$count" 'BEGIN { printf "%.1f", s / t * 1e6 / n }')" \
        "$(awk -v s=$((p1 - p0)) -v t="$CLK_TCK" -v n="$count" 'BEGIN { printf "%.1f", s / t * 1e6 / n }')" \
        "arrived=$((n1 - n0))"
}

log "warm-up (not recorded)"
run_ingest without 0
run_ingest with 0
run_ingest outbox-only 0
run_deliveries 0
log "runs: rounds=$ROUNDS duration=${DURATION}s conns=$CONNS deliveries=$DELIVERIES"
for round in $(seq 1 "$ROUNDS"); do
    if ((round % 2)); then
        run_ingest without "$round"
        run_ingest with "$round"
        run_ingest outbox-only "$round"
    else
        run_ingest outbox-only "$round"
        run_ingest with "$round"
        run_ingest without "$round"
    fi
    run_deliveries "$round"
done
FAILED=$(psql_q -c "SELECT count(*) FROM deliveries WHERE state <> 'delivered'")

# --- table --------------------------------------------------------------------------------------
{
    printf 'Notifications: ingest with/without a subscribed webhook channel (wrk -t%s -c%s -d%ss), %s deliveries at once, idle %ss;\n' \
        "$THREADS" "$CONNS" "$DURATION" "$DELIVERIES" "$IDLE_SECONDS"
    printf 'median of %s runs (%s); machine: %s cores, %s, load average %s; PostgreSQL: %s; receiver: nginx return 204\n\n' \
        "$ROUNDS" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$DURABILITY"
    awk -F'\t' -v idle="$IDLE" -v failed="$FAILED" '
        function median(key,   n, i, j, t, v) {
            n = split(vals[key], v, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        NR > 1 {
            if (!($1 in seen)) { seen[$1] = 1; order[++names] = $1 }
            for (c = 3; c <= 8; c++) vals[$1, c] = vals[$1, c] " " $c
            extra[$1] = extra[$1] " [" $9 "]"
        }
        END {
            printf "| run | rate (req/s or deliveries/s) | p99 ms | count | seconds (to drained) | incidentd CPU us/op | PostgreSQL CPU us/op | rate per run |\n"
            printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            for (i = 1; i <= names; i++) {
                n = order[i]
                for (c = 3; c <= 8; c++) m[n, c] = median(n SUBSEP c)
                printf "| %s | %.0f | %.2f | %.0f | %.2f | %.1f | %.1f |%s |\n", n, m[n, 3], m[n, 4], m[n, 5], m[n, 6], m[n, 7], m[n, 8], vals[n, 3]
            }
            split(idle, d, " ")
            ratio = m["ingest-with", 3] / m["ingest-without", 3]
            printf "\n| figure | value | target |\n| --- | ---: | --- |\n"
            printf "| ingest with / without a subscribed channel | %.2f | >= 0.8: %s |\n", ratio, (ratio >= 0.8 ? "met" : "MISSED")
            printf "| ingest outbox-only / without (the deliveries written, none sent during the run) | %.2f | |\n", m["ingest-outbox-only", 3] / m["ingest-without", 3]
            printf "| deliveries/s to a local receiver | %.0f | >= 1,000: %s |\n", m["deliveries", 3], (m["deliveries", 3] >= 1000 ? "met" : "MISSED")
            printf "| idle: delivery threads, %% of one core | %.2f | < 5: %s |\n", d[2], (d[2] < 5 ? "met" : "MISSED")
            printf "| idle: whole incidentd process, %% of one core | %.2f | |\n", d[1]
            printf "| idle: PostgreSQL, %% of one core | %.2f | |\n", d[3]
            printf "\nrequests that reached nginx, per run:%s\n", extra["deliveries"] extra["ingest-with"] extra["ingest-outbox-only"]
            printf "deliveries not delivered at the end: %d\n", failed
        }' "$RESULTS/runs.tsv"
} | tee "$RESULTS/table.md"
log "raw output: $RESULTS"
