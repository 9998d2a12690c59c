#!/usr/bin/env bash
# schemathesis against a running incidentd: every operation of its served /openapi.json, every
# check, the examples, coverage and fuzzing phases, positive and negative data. Exits non-zero
# on any finding (failure or error).
#
#   scripts/reliability/schemathesis.sh --url http://127.0.0.1:8080 --key ikd_... [--examples N] [--seed S]
#
# SCHEMATHESIS_SCHEMA=docs/openapi.yaml tries a document not yet built into the server.
# Tests/APITests/SchemathesisTests runs it with a few examples on every test run; run it by
# hand with more (docs/RELIABILITY.md has the figures of `--examples 100`). Settings that the
# document cannot say are in schemathesis.toml beside this script.
#
# `POST /api/v1/chat/slack` is only tried without a valid signature (401): each request would
# need one of its own (ChatSlackSignatureTests covers it).
#
# Two operations change what every other one sees, so they run on their own, after the rest:
# `PUT /api/v1/admin/read-only` (read-only mode answers every write 503) and
# `DELETE /api/v1/api-keys/{id}` (it may revoke the key the run uses). Read-only mode is
# switched off again between them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
url="" key="" examples=10 seed=""
while [ $# -gt 0 ]; do
    case "$1" in
    --url) url=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --examples) examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$url" ] && [ -n "$key" ] || { echo "usage: $0 --url URL --key KEY [--examples N] [--seed S]" >&2; exit 2; }
report=${SCHEMATHESIS_REPORT_DIR:-$(mktemp -d /tmp/incidentd-schemathesis.XXXXXX)}
mkdir -p "$report"
schema=${SCHEMATHESIS_SCHEMA:-$url/openapi.json}
[ -f "$schema" ] && schema=$(cd "$(dirname "$schema")" && pwd)/$(basename "$schema")
run() (
    # In the report folder: hypothesis and schemathesis keep their caches in the working folder.
    cd "$report"
    # One worker: hypothesis's lambda descriptions call ast.parse, which CPython 3.11 does not
    # make safe across threads ("AST constructor recursion depth mismatch").
    schemathesis --config-file "$here/schemathesis.toml" run "$schema" --url "$url" \
        --checks all --phases examples,coverage,fuzzing --max-examples "$examples" --workers 1 \
        --header "Authorization: Bearer $key" --request-timeout 15 \
        ${seed:+--seed "$seed"} --report junit --report-dir "$report" "$@"
)
# A routing key for the one operation that takes nothing else (schemathesis.toml).
service="schemathesis-$RANDOM$RANDOM"
curl -fsS -X POST "$url/api/v1/services" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$service\"}" >/dev/null
INCIDENTD_ROUTING_KEY=$(curl -fsS -X POST "$url/api/v1/services/$service/integrations" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"kind":"alertmanager"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["routing_key"])')
export INCIDENTD_ROUTING_KEY
status=0
run --exclude-path /api/v1/admin/read-only --exclude-path '/api/v1/api-keys/{id}' || status=1
run --include-name 'PUT /api/v1/admin/read-only' || status=1
curl -fsS -X PUT "$url/api/v1/admin/read-only" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d '{"enabled":false}' >/dev/null || status=1
run --include-name 'DELETE /api/v1/api-keys/{id}' || status=1
exit $status
