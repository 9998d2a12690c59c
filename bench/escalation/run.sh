#!/usr/bin/env bash
# Escalation lateness under load (issue 16, SPEC §11): ESCALATIONS active escalations whose steps
# fall due every second, fired by one incidentd process; how late each page is, measured in SQL
# as the page delivery row's created_at minus the step's due time (the step event's
# data.due_at, which the worker writes from the escalation row's next_step_at).
#
# The data set is made straight in SQL (10,000 incidents through the API would take minutes):
# one service with a policy of STEPS steps of DELAY s, each paging one person with one e-mail
# contact method (incidentd on this branch runs no sender, so pages stay pending in the outbox
# and nothing leaves the machine), repeated REPEAT more times; ESCALATIONS SEV1 incidents of that
# service, each with its escalation in the state `start` leaves it in (step 1 due), their first
# due times spread evenly over one second starting a few seconds after the seed. From then on
# each escalation has a step due every DELAY s until it is exhausted: STEPS x (REPEAT + 1) steps,
# ESCALATIONS / DELAY steps a second.
#
# Short by default (the machine's cores are shared): about 15 s of load after the build.
# Usage: bench/escalation/run.sh                (loopback only; embedded PostgreSQL in /tmp)
# Settings (environment): ESCALATIONS=10000 STEPS=2 DELAY=1 REPEAT=4 PORT=18760
#   SCRATCH=.build-escalation SKIP_BUILD=1 and incidentd's own INCIDENTD_ESCALATION_BATCH,
#   INCIDENTD_ESCALATION_WORKERS. Raw output: bench/results/escalation-<time>/ (gitignored).
set -euo pipefail

ESCALATIONS=${ESCALATIONS:-10000}
STEPS=${STEPS:-2}
DELAY=${DELAY:-1}
REPEAT=${REPEAT:-4}
PORT=${PORT:-18760}
SCRATCH=${SCRATCH:-.build-escalation}
START_TIMEOUT_S=180 # the first start runs initdb and the migrations
LEAD_S=5            # seconds between the seed and the first due step
PSQL=/usr/lib/postgresql/15/bin/psql

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RESULTS=$ROOT/bench/results/escalation-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-escalation.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
PGSOCK=$WORK/data/postgres
mkdir -p "$RESULTS"
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench ${SERVER_PID:+"$SERVER_PID"}; }
trap cleanup EXIT

psql_run() { runuser -u postgres -- "$PSQL" -h "$PGSOCK" -p 5432 -d incidentd -X -q -At -v ON_ERROR_STOP=1 "$@"; }

if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building this tree (release, --scratch-path $SCRATCH)"
    (cd "$ROOT" && swift build -c release --product incidentd --scratch-path "$SCRATCH" >"$RESULTS/build.log" 2>&1) ||
        { tail -n 30 "$RESULTS/build.log"; exit 1; }
fi
BIN="$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/incidentd"
[[ -x $BIN ]] || { log "no binary at $BIN"; exit 1; }

log "starting incidentd (initdb + migrations on the first start)"
# Warnings only: a log line per page would be 10,000 lines a second on stderr.
INCIDENTD_LOG_LEVEL=warning INCIDENTD_SLA_CHECK_INTERVAL=3600 "$BIN" serve --host 127.0.0.1 --port "$PORT" \
    --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$RESULTS/incidentd.log" &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT_S))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "incidentd exited"; tail -n 20 "$RESULTS/incidentd.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "no 200 after ${START_TIMEOUT_S}s"; exit 1; }
    sleep 0.05
done
ADMIN_KEY=$(grep -o -m1 'ikd_[A-Za-z0-9_-]*' "$WORK/stdout.log") || { log "no admin key on stdout"; exit 1; }
api() {
    curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
        --data "$3" "http://127.0.0.1:$PORT$2"
}
id_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

log "policy: $STEPS steps of ${DELAY}s, repeat $REPEAT, one person with an e-mail method each"
steps=""
for step in $(seq 1 "$STEPS"); do
    user=$(api POST /api/v1/users "{\"name\":\"On call $step\"}" | id_of)
    api POST "/api/v1/users/$user/contact-methods" "{\"kind\":\"email\",\"to\":\"oncall$step@example.com\"}" >/dev/null
    steps+="${steps:+,}{\"delay_seconds\":$DELAY,\"targets\":[{\"type\":\"user\",\"id\":$user}]}"
done
policy=$(api POST /api/v1/escalation-policies "{\"name\":\"bench\",\"repeat\":$REPEAT,\"steps\":[$steps]}" | id_of)
api POST /api/v1/services "{\"name\":\"bench\",\"escalation_policy\":$policy}" >/dev/null

log "seeding $ESCALATIONS SEV1 incidents and their escalations (first steps due over one second, in ${LEAD_S}s)"
psql_run -v n="$ESCALATIONS" -v policy="$policy" -v lead="$LEAD_S" <<'SQL' >"$RESULTS/seed.txt"
BEGIN;
CREATE TEMP TABLE seeded AS
WITH i AS (
    INSERT INTO incidents (title, severity, channel, started_at, detected_at, ack_due_at, service_names)
    SELECT 'Bench outage ' || g, 'SEV1', '#incident-bench-' || g, now(), now(), now() + interval '1 day', '{bench}'
    FROM generate_series(1, :n) AS g RETURNING id)
SELECT id, row_number() OVER (ORDER BY id) AS n FROM i;
INSERT INTO incident_services (incident_id, service_id) SELECT id, (SELECT id FROM services WHERE name = 'bench') FROM seeded;
INSERT INTO incident_escalations (incident_id, policy_id, policy_name, plan, state, step, loop, next_step_at,
                                  started_at, updated_at)
SELECT s.id, p.id, p.name,
       jsonb_build_object('repeat', p.repeat, 'steps', (
           SELECT jsonb_agg(jsonb_build_object('delay_seconds', st.delay_seconds, 'targets', (
                      SELECT jsonb_agg(jsonb_build_object('type', 'user', 'id', t.user_id) ORDER BY t.position)
                      FROM escalation_policy_targets t WHERE t.policy_id = st.policy_id AND t.step = st.step))
                  ORDER BY st.step)
           FROM escalation_policy_steps st WHERE st.policy_id = p.id)),
       'active', 0, 1, now() + make_interval(secs => :lead + (s.n - 1)::float8 / :n), now(), now()
FROM seeded s, escalation_policies p WHERE p.id = :policy;
COMMIT;
SELECT count(*) FROM incident_escalations WHERE state = 'active';
SQL
log "$(tail -n1 "$RESULTS/seed.txt") active escalations"

total_steps=$((ESCALATIONS * STEPS * (REPEAT + 1)))
run_s=$((LEAD_S + STEPS * (REPEAT + 1) * DELAY))
log "firing $total_steps steps (about $((ESCALATIONS / DELAY)) a second for ~$((run_s - LEAD_S))s)"
cpu_before=$(proc_ticks "$SERVER_PID" 12 13)
pg_before=$(pg_ticks "$PGSOCK")
deadline=$((SECONDS + run_s * 4 + 30))
while (($(psql_run -c "SELECT count(*) FROM incident_escalations WHERE state = 'active'") > 0)); do
    ((SECONDS < deadline)) || { log "escalations still active after $((run_s * 4 + 30))s"; break; }
    sleep 1
done
cpu=$(( $(proc_ticks "$SERVER_PID" 12 13) - cpu_before ))
pg=$(( $(pg_ticks "$PGSOCK") - pg_before ))

psql_run -F $'\t' >"$RESULTS/lateness.tsv" <<'SQL'
WITH pages AS (
    SELECT EXTRACT(EPOCH FROM d.created_at - (e.data ->> 'due_at')::timestamptz) AS late, d.created_at
    FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.page_incident_id IS NOT NULL)
SELECT count(*),
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY late))::numeric * 1000, 1),
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY late))::numeric * 1000, 1),
       round(max(late)::numeric * 1000, 1),
       round(count(*) / EXTRACT(EPOCH FROM max(created_at) - min(created_at))::numeric, 0)
FROM pages;
SQL
read -r pages p50 p99 worst rate <"$RESULTS/lateness.tsv"
exhausted=$(psql_run -c "SELECT count(*) FROM incident_escalations WHERE state = 'exhausted'")
hz=$(getconf CLK_TCK)

echo
echo "Escalation lateness, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):" \
    "$ESCALATIONS escalations, $STEPS steps of ${DELAY}s, repeat $REPEAT," \
    "batch ${INCIDENTD_ESCALATION_BATCH:-200}, ${INCIDENTD_ESCALATION_WORKERS:-2} worker threads (incidentd's defaults unless set)"
echo
echo "| pages | pages/s | lateness p50 ms | p99 ms | max ms | exhausted | incidentd CPU s | PostgreSQL CPU s |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '| %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n' "$pages" "$rate" "$p50" "$p99" "$worst" "$exhausted" \
    "$(echo "$cpu / $hz" | bc -l)" "$(echo "$pg / $hz" | bc -l)"
echo
echo "Raw output: $RESULTS"
[[ $pages -eq $total_steps ]] || { log "expected $total_steps pages, found $pages"; exit 1; }
