#!/usr/bin/env bash
# Proves the real Prometheus Alertmanager works against incidentd (issue 5).
#
# Usage: alertmanager.sh BASE_URL ROUTING_KEY API_KEY [ADMIN_KEY]
#
# With ADMIN_KEY it first puts incidentd in read-only mode (SPEC §12), fires the alert while
# writes are refused with 503 (Alertmanager keeps it and retries; any 4xx would drop it), checks
# that nothing was stored, switches read-only off and checks the alert is then stored exactly
# once, with one event.
#
# Starts a private Alertmanager (Debian's prometheus-alertmanager) whose webhook receiver posts
# to BASE_URL/api/v1/integrations/alertmanager with the routing key as Bearer token
# (http_config.authorization.credentials), fires an alert through Alertmanager's own API
# (/api/v2/alerts), waits until incidentd shows it triggered, ends it upstream and waits until
# incidentd shows it resolved. API_KEY (viewer role) reads the native API.
#
# Installs prometheus-alertmanager with apt-get when it is missing (root only). Exit codes:
# 0 passed, 1 failed, 77 Alertmanager is not installed and could not be installed (skip).
set -euo pipefail

if [[ $# -ne 3 && $# -ne 4 ]]; then
    sed -n '2,14p' "$0" >&2
    exit 2
fi
base_url=${1%/}
routing_key=$2
api_key=$3
admin_key=${4:-}
readonly SKIP=77

loud_skip() {
    printf '%.0s!' {1..72} >&2; echo >&2
    echo "SKIPPED: $1" >&2
    printf '%.0s!' {1..72} >&2; echo >&2
    exit "$SKIP"
}

binary=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [[ -z $binary ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing prometheus-alertmanager with apt-get" >&2
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-alertmanager >/dev/null 2>&1; then
            apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-alertmanager >/dev/null 2>&1 \
                || loud_skip "prometheus-alertmanager could not be installed with apt-get"
        fi
        binary=$(command -v prometheus-alertmanager || command -v alertmanager || true)
    fi
    [[ -n $binary ]] || loud_skip "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"
fi

work=$(mktemp -d)
am_pid=""
cleanup() {
    if [[ -n $am_pid ]]; then
        kill "$am_pid" 2>/dev/null || true
        wait "$am_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Debug logs show each refused attempt ("Notify attempt failed, will retry later").
am_log_level=warn
[[ -n $admin_key ]] && am_log_level=debug
am_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
am_url="http://127.0.0.1:$am_port"
alertname="IncidentdCompat$(date +%s)$RANDOM"

# Short timings so the test takes seconds: the group is sent 1 s after its first alert and
# re-evaluated every second, so the resolved notification follows quickly.
cat >"$work/alertmanager.yml" <<YAML
global:
  resolve_timeout: 5m
route:
  receiver: incidentd
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: incidentd
    webhook_configs:
      - url: '$base_url/api/v1/integrations/alertmanager'
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: '$routing_key'
YAML

"$binary" --config.file="$work/alertmanager.yml" --storage.path="$work/data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= --log.level="$am_log_level" \
    >"$work/alertmanager.log" 2>&1 &
am_pid=$!

for _ in $(seq 1 100); do
    curl -fsS "$am_url/-/ready" >/dev/null 2>&1 && break
    kill -0 "$am_pid" 2>/dev/null || { cat "$work/alertmanager.log" >&2; echo "FAIL alertmanager exited" >&2; exit 1; }
    sleep 0.1
done

# Posts the compat alert to Alertmanager, ending it at $1 when given (resolving it upstream).
post_alert() {
    local ends=""
    [[ -n ${1:-} ]] && ends=",\"endsAt\":\"$1\""
    curl -fsS -X POST -H 'Content-Type: application/json' "$am_url/api/v2/alerts" -d "[{
        \"labels\": {\"alertname\": \"$alertname\", \"instance\": \"compat-1:9100\", \"severity\": \"warning\"},
        \"annotations\": {\"summary\": \"Alertmanager compatibility alert $alertname\"},
        \"startsAt\": \"$started\"$ends}]" >/dev/null
}

# Prints the status incidentd has for the compat alert ("" while it has none).
status_here() {
    curl -fsS -H "Authorization: Bearer $api_key" "$base_url/api/v1/alerts?limit=500" | python3 -c '
import json, sys
name = sys.argv[1]
for item in json.load(sys.stdin)["items"]:
    if item["details"].get("labels", {}).get("alertname") == name:
        print(item["status"]); break
' "$alertname"
}

# Waits up to 30 s for incidentd to show the alert in status $1.
wait_for() {
    local found=""
    for _ in $(seq 1 150); do
        found=$(status_here)
        if [[ $found == "$1" ]]; then
            echo "ok   alert $alertname is $1 in incidentd"
            return 0
        fi
        sleep 0.2
    done
    echo "FAIL alert $alertname is '${found}' in incidentd, expected $1" >&2
    cat "$work/alertmanager.log" >&2
    exit 1
}

# Switches read-only mode on ($1 = true) or off through the API.
read_only() {
    curl -fsS -X PUT -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
        "$base_url/api/v1/admin/read-only" \
        -d "{\"enabled\": $1, \"reason\": \"compat check\", \"retry_after_seconds\": 1}" >/dev/null
}

# How many alerts incidentd has for the compat alert, and the event count of the first.
count_here() {
    curl -fsS -H "Authorization: Bearer $api_key" "$base_url/api/v1/alerts?limit=500" | python3 -c '
import json, sys
name = sys.argv[1]
found = [i for i in json.load(sys.stdin)["items"] if i["details"].get("labels", {}).get("alertname") == name]
print(len(found), found[0]["event_count"] if found else 0)
' "$alertname"
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [[ -n $admin_key ]]; then
    read_only true
    post_alert
    # group_wait 1 s, then Alertmanager's retries (backoff) against the 503s.
    sleep 4
    if [[ -n $(status_here) ]]; then
        echo "FAIL alert $alertname was stored while incidentd was read-only" >&2
        exit 1
    fi
    grep -q "503" "$work/alertmanager.log" || {
        cat "$work/alertmanager.log" >&2
        echo "FAIL Alertmanager never saw a 503 while incidentd was read-only" >&2
        exit 1
    }
    echo "ok   read-only: Alertmanager was answered 503 and kept the alert"
    read_only false
    wait_for triggered
    counted=$(count_here)
    if [[ $counted != "1 1" ]]; then
        echo "FAIL after read-only: expected one alert with one event, got (alerts, events) = $counted" >&2
        exit 1
    fi
    echo "ok   after read-only: the alert is stored exactly once"
else
    post_alert
    wait_for triggered
fi
post_alert "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
wait_for resolved
echo "all Alertmanager checks passed"
