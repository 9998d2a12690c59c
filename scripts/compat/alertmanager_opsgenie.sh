#!/usr/bin/env bash
# Proves a real Prometheus Alertmanager configured for Opsgenie works against incidentd unchanged
# (issue 17, SPEC §12): only `api_url` changes.
#
# Usage: alertmanager_opsgenie.sh BASE_URL ROUTING_KEY API_KEY HEARTBEAT
#
# Starts a private Alertmanager (Debian's prometheus-alertmanager, a test dependency in
# scripts/test-deps/debian.txt) with two receivers:
#   - `opsgenie_configs` with api_url = BASE_URL/ and api_key = ROUTING_KEY: it posts
#     /v2/alerts with `Authorization: GenieKey` and closes with
#     /v2/alerts/{alias}/close?identifierType=alias;
#   - the Watchdog recipe: a `webhook_configs` URL to BASE_URL/v2/heartbeats/HEARTBEAT/ping with
#     `http_config.authorization.type: GenieKey`, repeated every 2 s.
# It fires a critical alert and the always-firing Watchdog through Alertmanager's own API, waits
# until incidentd shows the alert triggered (severity critical from priority P1) and the
# heartbeat pinged twice, then ends the alert upstream and waits until incidentd shows it
# resolved. API_KEY (viewer role) reads the native API.
#
# Exit codes: 0 passed, 1 failed (also when Alertmanager is not installed: run
# scripts/install-test-deps).
set -euo pipefail

if [[ $# -ne 4 ]]; then
    sed -n '2,19p' "$0" >&2
    exit 2
fi
base_url=${1%/}
routing_key=$2
api_key=$3
heartbeat=$4

binary=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [[ -z $binary ]]; then
    echo "FAIL prometheus-alertmanager is not installed: run scripts/install-test-deps" >&2
    exit 1
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

am_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
am_url="http://127.0.0.1:$am_port"
alertname="IncidentdOpsgenie$(date +%s)$RANDOM"
summary="Opsgenie receiver compatibility alert $alertname"

# Short timings so the test takes seconds. The Watchdog route repeats every 2 s: each repeat is
# one ping of the heartbeat.
cat >"$work/alertmanager.yml" <<YAML
global:
  resolve_timeout: 5m
route:
  receiver: incidentd-opsgenie
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: watchdog
      matchers: ['alertname="Watchdog"']
      group_wait: 1s
      group_interval: 1s
      repeat_interval: 2s
receivers:
  - name: incidentd-opsgenie
    opsgenie_configs:
      - api_key: '$routing_key'
        api_url: '$base_url/'
        message: '{{ .CommonAnnotations.summary }}'
        priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}'
        send_resolved: true
  - name: watchdog
    webhook_configs:
      - url: '$base_url/v2/heartbeats/$heartbeat/ping'
        send_resolved: false
        http_config:
          authorization:
            type: GenieKey
            credentials: '$routing_key'
YAML

"$binary" --config.file="$work/alertmanager.yml" --storage.path="$work/data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= --log.level=debug \
    >"$work/alertmanager.log" 2>&1 &
am_pid=$!

for _ in $(seq 1 100); do
    curl -fsS "$am_url/-/ready" >/dev/null 2>&1 && break
    kill -0 "$am_pid" 2>/dev/null || { cat "$work/alertmanager.log" >&2; echo "FAIL alertmanager exited" >&2; exit 1; }
    sleep 0.1
done

fail() {
    echo "FAIL $1" >&2
    cat "$work/alertmanager.log" >&2
    exit 1
}

# Posts alert $1 (labels as JSON members) to Alertmanager, ending it at $2 when given.
post_alert() {
    local ends=""
    [[ -n ${2:-} ]] && ends=",\"endsAt\":\"$2\""
    curl -fsS -X POST -H 'Content-Type: application/json' "$am_url/api/v2/alerts" -d "[{
        \"labels\": {$1},
        \"annotations\": {\"summary\": \"$summary\"},
        \"startsAt\": \"$started\"$ends}]" >/dev/null
}
compat_labels="\"alertname\": \"$alertname\", \"instance\": \"compat-1:9100\", \"severity\": \"critical\""

# Prints "status severity" of the compat alert in incidentd ("" while it has none).
alert_here() {
    curl -fsS -H "Authorization: Bearer $api_key" "$base_url/api/v1/alerts?limit=500" | python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    if item["summary"] == sys.argv[1]:
        print(item["status"], item["severity"]); break
' "$summary"
}

# Prints the heartbeat's last_ping_at ("None" before its first ping).
last_ping() {
    curl -fsS -H "Authorization: Bearer $api_key" "$base_url/api/v1/heartbeats/$heartbeat" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["last_ping_at"])'
}

# Waits up to 30 s for `$1` to print $2.
wait_for() {
    local found=""
    for _ in $(seq 1 150); do
        found=$($1)
        [[ $found == "$2" ]] && return 0
        sleep 0.2
    done
    fail "$1 printed '$found', expected '$2'"
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
post_alert "$compat_labels"
post_alert '"alertname": "Watchdog", "severity": "none"'
wait_for alert_here "triggered critical"
echo "ok   opsgenie_configs: alert $alertname is triggered in incidentd with severity critical (P1)"

first=""
for _ in $(seq 1 150); do
    first=$(last_ping)
    [[ $first != "None" ]] && break
    sleep 0.2
done
[[ $first != "None" ]] || fail "the Watchdog never pinged heartbeat $heartbeat"
echo "ok   Watchdog webhook with GenieKey pinged heartbeat $heartbeat at $first"
second=$first
for _ in $(seq 1 100); do
    second=$(last_ping)
    [[ $second != "$first" ]] && break
    sleep 0.2
done
[[ $second != "$first" ]] || fail "the Watchdog pinged heartbeat $heartbeat only once"
echo "ok   Watchdog pinged again at $second"

post_alert "$compat_labels" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
wait_for alert_here "resolved critical"
echo "ok   opsgenie_configs: closing by alias resolved the alert in incidentd"
echo "all Alertmanager Opsgenie checks passed"
