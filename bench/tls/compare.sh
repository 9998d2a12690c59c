#!/usr/bin/env bash
# incidentd's own TLS against nginx with the same certificate and key, side by side in one
# sitting (issue 20). Per round, for each server (runs alternated):
#   keep-alive HTTPS /healthz at CONNS connections (wrk): req/s, p99, server CPU per request;
#   a new connection per request (wrk, `Connection: close`) at CLOSE_CONNS: handshakes/s,
#     server CPU per handshake (wrk's OpenSSL may resume sessions; both servers allow it);
#   full handshakes (`openssl s_time -new`, one client): handshakes/s;
#   and the same keep-alive /healthz over plain HTTP (incidentd's TLS acceptance: TLS CPU per
#     request at most 1.5x plain).
# CPU comes from /proc/PID/stat (utime + stime; for nginx the master and its workers) before
# and after each run: it holds up on a shared machine far better than req/s. Compare the two
# servers' figures from one run of this script, never absolute figures across runs.
#
# Usage: bench/tls/compare.sh [INCIDENTD_BIN]       (loopback only)
#   default binary: .build/release/incidentd (swift build -c release --product incidentd)
# Settings (environment): ROUNDS=2 DURATION=5 CONNS=64 CLOSE_CONNS=16 PORT=18780
#   (incidentd: PORT https, PORT+1 plain; nginx: PORT+2 https, PORT+3 plain)
# nginx: Debian's package (installed when missing), 2 workers, `return 200` JSON, the same
# certificate, protocols (TLS 1.2 and 1.3) and TLS 1.2 cipher list as incidentd; neither
# writes an access log (incidentd at INCIDENTD_LOG_LEVEL=warning).
# Raw output: bench/results/tls-<time>/ (gitignored).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${1:-$ROOT/.build/release/incidentd}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
CLOSE_CONNS=${CLOSE_CONNS:-16}
PORT=${PORT:-18780}
START_TIMEOUT_S=180
RESULTS=$ROOT/bench/results/tls-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-tls-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres
mkdir -p "$RESULTS"
SERVER_PIDS=()

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() {
    if [[ -f $WORK/nginx.pid ]]; then kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
    local pid data
    for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait_exit "$pid" 40 || kill -KILL "$pid" 2>/dev/null || true; done
    for data in "$WORK"/data-*/postgres; do
        [[ -f $data/postmaster.pid ]] && kill -TERM "$(head -n1 "$data/postmaster.pid")" 2>/dev/null || true
    done
    sleep 1
    rm -rf "$WORK"
}
trap cleanup EXIT
[[ -x $BIN ]] || { log "no incidentd binary at $BIN"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
NGINX=$(command -v nginx)
TICK_US=$((1000000 / $(getconf CLK_TCK)))
TLS_PORT=$PORT PLAIN_PORT=$((PORT + 1)) NGINX_TLS_PORT=$((PORT + 2)) NGINX_PLAIN_PORT=$((PORT + 3))

# --- one certificate for both: a throwaway CA and an EC P-256 leaf for 127.0.0.1 ------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/ca.key" \
    -out "$WORK/ca.pem" -days 2 -subj "/CN=bench CA" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/server.key" \
    -out "$WORK/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$WORK/server.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
    -out "$WORK/server.pem" -days 2 -extfile "$WORK/server.ext" 2>/dev/null
chmod 644 "$WORK"/server.*

# --- incidentd: one HTTPS and one plain process, each on its own embedded PostgreSQL ---------------
start_incidentd() { # NAME PORT SCHEME [TLS flags...]
    local name=$1 port=$2 scheme=$3
    shift 3
    # warning: no access-log line per request, as nginx here (access_log off).
    INCIDENTD_LOG_LEVEL=warning INCIDENTD_SLA_CHECK_INTERVAL=3600 "$BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$WORK/data-$name" \
        "$@" >>"$WORK/incidentd-$name.log" 2>&1 &
    SERVER_PIDS+=($!)
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until curl -sf -o /dev/null --max-time 1 --cacert "$WORK/ca.pem" "$scheme://127.0.0.1:$port/healthz"; do
        kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || { log "incidentd $name exited: $(tail -3 "$WORK/incidentd-$name.log")"; exit 1; }
        ((SECONDS < deadline)) || { log "incidentd $name: no answer after ${START_TIMEOUT_S}s"; exit 1; }
        sleep 0.1
    done
}
log "starting incidentd (HTTPS on $TLS_PORT, plain on $PLAIN_PORT; first start runs initdb)"
start_incidentd tls "$TLS_PORT" https --tls-cert "$WORK/server.pem" --tls-key "$WORK/server.key"
INCIDENTD_TLS_PID=${SERVER_PIDS[-1]}
start_incidentd plain "$PLAIN_PORT" http
INCIDENTD_PLAIN_PID=${SERVER_PIDS[-1]}

# --- nginx --------------------------------------------------------------------------------------------
CIPHERS="ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_TLS_PORT ssl;
        listen 127.0.0.1:$NGINX_PLAIN_PORT;
        ssl_certificate $WORK/server.pem;
        ssl_certificate_key $WORK/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers $CIPHERS;
        location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log"
for _ in $(seq 50); do [[ -s $WORK/nginx.pid ]] && break; sleep 0.1; done
NGINX_PID=$(cat "$WORK/nginx.pid")
curl -sS -o /dev/null --cacert "$WORK/ca.pem" "https://127.0.0.1:$NGINX_TLS_PORT/healthz"
curl -sS -o /dev/null --cacert "$WORK/ca.pem" "https://127.0.0.1:$TLS_PORT/healthz"

# ticks SERVER: CPU ticks (user + system) of that server's processes.
ticks() {
    case $1 in
        incidentd-tls) proc_ticks "$INCIDENTD_TLS_PID" 12 13 ;;
        incidentd-plain) proc_ticks "$INCIDENTD_PLAIN_PID" 12 13 ;;
        nginx-*)
            local total child
            total=$(proc_ticks "$NGINX_PID" 12 13)
            for child in $(ps -o pid= --ppid "$NGINX_PID"); do total=$((total + $(proc_ticks "$child" 12 13))); done
            echo "$total"
            ;;
    esac
}

# measure NAME SERVER WRK_ARGS...: prints "req/s p99_ms us_cpu_per_request errors".
measure() {
    local name=$1 server=$2 before after
    shift 2
    before=$(ticks "$server")
    wrk --latency -t2 -d"${DURATION}s" "$@" >"$RESULTS/$name.txt" 2>&1
    after=$(ticks "$server")
    local rps p50 p99 socket non2xx requests
    read -r rps p50 p99 socket non2xx requests < <(wrk_summary "$RESULTS/$name.txt")
    awk -v rps="$rps" -v p99="$p99" -v cpu=$((after - before)) -v tick="$TICK_US" -v n="$requests" \
        -v bad=$((socket + non2xx)) 'BEGIN { printf "%.0f %.2f %.1f %d\n", rps, p99, (n ? cpu * tick / n : 0), bad }'
}

# full_handshakes PORT: handshakes/s of `openssl s_time -new` (one client, no resumption),
# from its "N connections in T real seconds" line.
full_handshakes() {
    openssl s_time -connect "127.0.0.1:$1" -CAfile "$WORK/ca.pem" -new -time "$DURATION" 2>/dev/null |
        awk '/real seconds/ { printf "%.0f\n", ($4 > 0 ? $1 / $4 : 0); found = 1; exit } END { if (!found) print 0 }'
}

# one SERVER TLS_PORT PLAIN_PORT PLAIN_SERVER: one round for one server; appends to runs.tsv.
run=0
one() {
    local server=$1 tls_port=$2 plain_port=$3 plain_server=$4
    run=$((run + 1))
    local keep close full plain
    keep=$(measure "$server-keepalive-$run" "$server-tls" -c"$CONNS" "https://127.0.0.1:$tls_port/healthz")
    close=$(measure "$server-close-$run" "$server-tls" -c"$CLOSE_CONNS" -H "Connection: close" \
        "https://127.0.0.1:$tls_port/healthz")
    full=$(full_handshakes "$tls_port")
    plain=$(measure "$server-plain-$run" "$plain_server" -c"$CONNS" "http://127.0.0.1:$plain_port/healthz")
    printf '%s\t%s\t%s\t%s\t%s\n' "$server" "$keep" "$close" "$full" "$plain" | tee -a "$RESULTS/runs.tsv"
}

log "warm-up of each (not recorded)"
DURATION=2 one incidentd "$TLS_PORT" "$PLAIN_PORT" incidentd-plain >/dev/null
DURATION=2 one nginx "$NGINX_TLS_PORT" "$NGINX_PLAIN_PORT" nginx-plain >/dev/null
: >"$RESULTS/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
    if ((round % 2)); then
        one incidentd "$TLS_PORT" "$PLAIN_PORT" incidentd-plain
        one nginx "$NGINX_TLS_PORT" "$NGINX_PLAIN_PORT" nginx-plain
    else
        one nginx "$NGINX_TLS_PORT" "$NGINX_PLAIN_PORT" nginx-plain
        one incidentd "$TLS_PORT" "$PLAIN_PORT" incidentd-plain
    fi
done

# --- summary (medians) --------------------------------------------------------------------------------
echo
echo "TLS side by side, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${DURATION}s per run, $ROUNDS rounds;" \
    "keep-alive at $CONNS connections, new connection per request at $CLOSE_CONNS; $(openssl version | cut -d' ' -f1-2)"
echo
echo "| server | HTTPS keep-alive req/s | p99 ms | µs CPU/req | handshakes/s (Connection: close) | µs CPU/handshake | full handshakes/s (s_time -new, 1 client) | plain req/s | plain µs CPU/req | TLS/plain CPU | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for server in incidentd nginx; do
    awk -v server="$server" '
        function median(a, n,    i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == server { n++; kr[n] = $2; kp[n] = $3; kc[n] = $4; cr[n] = $6; cc[n] = $8; fh[n] = $10
                       pr[n] = $11; pc[n] = $13; bad += $5 + $9 + $14 }
        END { k = median(kc, n); p = median(pc, n)
              printf "| %s | %.0f | %.2f | %.1f | %.0f | %.1f | %.0f | %.0f | %.1f | %.2f | %d |\n", server,
              median(kr, n), median(kp, n), k, median(cr, n), median(cc, n), median(fh, n), median(pr, n), p,
              (p ? k / p : 0), bad }' "$RESULTS/runs.tsv"
done
echo
echo "Raw output: $RESULTS"
