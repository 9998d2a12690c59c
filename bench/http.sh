#!/usr/bin/env bash
# GET /healthz: incidentd against a minimal Hummingbird 2.28.1 peer (issue 2, "Benchmark").
#
# Method (../shared/PEERS.md): one sitting, runs alternated (ours, then the peer, at each load),
# median of ROUNDS runs, server CPU per request from /proc/PID/stat (utime + stime before and
# after a run, divided by the requests wrk counted). wrk and both servers share the machine's
# cores, so compare ratios from one run of this script, never absolute numbers across runs.
#
# Usage: bench/http.sh            (about 3.5 minutes after the builds; loopback only)
# Settings (environment):
#   ROUNDS=3 DURATION=10 THREADS=2 LOADS="64 1000"   what wrk runs
#   OURS_PORT=18080 PEER_PORT=18081                   loopback ports for the two servers
#   OURS_LOG=<file>     where incidentd's stderr (its access log) goes; default a file in the
#                       run's temporary folder; /dev/null to measure without the file write
#   INCIDENTD_LOG_LEVEL is passed through (warning: no access-log lines are written)
# Raw wrk output and the table are kept in bench/results/http-<time>/ (gitignored).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
LOADS=${LOADS:-"64 1000"}
OURS_PORT=${OURS_PORT:-18080}
PEER_PORT=${PEER_PORT:-18081}
START_TIMEOUT_S=120 # the embedded PostgreSQL's first start runs initdb and the migrations

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEER_DIR=$ROOT/bench/peers/hummingbird
RESULTS=$ROOT/bench/results/http-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/incidentd-bench.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as user postgres and must reach its folder
OURS_LOG=${OURS_LOG:-$WORK/incidentd.log}
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS"

OURS_PID=
PEER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() { stop_bench $OURS_PID $PEER_PID; }
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# cpu_ticks PID: utime + stime of all the process's threads, in clock ticks (proc(5), fields
# 14 and 15; counted after the last ')' because the command name may hold spaces).
cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }
    awk '{ print $12 + $13 }' <<<"$stat"
}

# status_kb PID FIELD: a VmXXX line of /proc/PID/status, in kB.
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# wait_ready PID PORT: milliseconds from now until /healthz answers 200; fails if PID dies.
wait_ready() {
    local pid=$1 port=$2 start deadline
    start=$(now_ms)
    deadline=$((SECONDS + START_TIMEOUT_S))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/healthz") == 200 ]]; do
        kill -0 "$pid" 2>/dev/null || { log "server (pid $pid) exited before answering"; return 1; }
        ((SECONDS < deadline)) || { log "no 200 on port $port after ${START_TIMEOUT_S}s"; return 1; }
        sleep 0.005
    done
    echo $(($(now_ms) - start))
}

# --- tools and builds ---------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

log "building incidentd (release)"
(cd "$ROOT" && swift build -c release --product incidentd --scratch-path .build-bench >"$RESULTS/build-incidentd.log" 2>&1) ||
    { tail -n 30 "$RESULTS/build-incidentd.log"; exit 1; }
OURS_BIN=$(cd "$ROOT" && swift build -c release --scratch-path .build-bench --show-bin-path)/incidentd

# SwiftPM names a root package after its folder, and a root named "hummingbird" clashes with
# the dependency hummingbird-project/hummingbird; so the peer builds from a copy in a folder
# named healthz-peer inside its own .build (copied with their times, so rebuilds stay incremental).
log "building the Hummingbird peer (release)"
PEER_COPY=$PEER_DIR/.build/healthz-peer
mkdir -p "$PEER_COPY"
rm -rf "$PEER_COPY/Sources"
cp -p "$PEER_DIR/Package.swift" "$PEER_COPY/"
cp -Rp "$PEER_DIR/Sources" "$PEER_COPY/"
(cd "$PEER_COPY" && swift build -c release >"$RESULTS/build-peer.log" 2>&1) ||
    { tail -n 30 "$RESULTS/build-peer.log"; exit 1; }
PEER_BIN=$(cd "$PEER_COPY" && swift build -c release --show-bin-path)/HealthzPeer

# --- servers ------------------------------------------------------------------------------------
# 1,000 connections need more than the usual 1,024 descriptors on each side; raised before the
# servers start so they inherit it.
ulimit -n "$(ulimit -Hn)"
(($(ulimit -n) >= 4096)) || { log "ulimit -n is $(ulimit -n); 1,000 connections need more"; exit 1; }

start_ours() {
    "$OURS_BIN" serve --host 127.0.0.1 --port "$OURS_PORT" --data-dir "$WORK/data" >>"$OURS_LOG" 2>&1 &
    OURS_PID=$!
}

log "starting incidentd (first start: initdb + migrations of the embedded PostgreSQL)"
start_ours
OURS_FIRST_MS=$(wait_ready "$OURS_PID" "$OURS_PORT")
kill -TERM "$OURS_PID"
wait_exit "$OURS_PID" 60 || { log "incidentd did not stop within 60 s of SIGTERM"; exit 1; }
log "restarting incidentd on the initialised data folder"
start_ours
OURS_START_MS=$(wait_ready "$OURS_PID" "$OURS_PORT")

log "starting the peer"
"$PEER_BIN" "$PEER_PORT" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PEER_START_MS=$(wait_ready "$PEER_PID" "$PEER_PORT")

# Warm both (page faults, lazily built state) before anything is counted.
for port in "$OURS_PORT" "$PEER_PORT"; do
    wrk -t"$THREADS" -c64 -d2s "http://127.0.0.1:$port/healthz" >/dev/null
done

# --- runs ---------------------------------------------------------------------------------------
# run_wrk NAME PID PORT CONNS ROUND: one wrk run; appends a row to $RESULTS/runs.tsv:
# name conns round req/s p50_ms p99_ms errors cpu_us_per_request cpu_percent
run_wrk() {
    local name=$1 pid=$2 port=$3 conns=$4 round=$5 out before after
    out=$RESULTS/wrk-$name-c$conns-r$round.txt
    before=$(cpu_ticks "$pid")
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency "http://127.0.0.1:$port/healthz" >"$out" 2>&1
    after=$(cpu_ticks "$pid")
    kill -0 "$pid" 2>/dev/null || { log "$name died during the run"; cat "$out" >&2; exit 1; }
    local rps p50 p99 socket non2xx requests
    read -r rps p50 p99 socket non2xx requests < <(wrk_summary "$out")
    ((requests > 0)) || { log "no requests counted in wrk output ($out)"; exit 1; }
    awk -v name="$name" -v conns="$conns" -v round="$round" -v rps="$rps" -v p50="$p50" -v p99="$p99" \
        -v errors=$((socket + non2xx)) -v requests="$requests" -v ticks=$((after - before)) \
        -v tck="$CLK_TCK" -v dur="$DURATION" 'BEGIN {
            cpu_s = ticks / tck
            printf "%s\t%d\t%d\t%.0f\t%.3f\t%.3f\t%d\t%.1f\t%.0f\n", name, conns, round, rps, p50, p99,
                errors, cpu_s * 1e6 / requests, 100 * cpu_s / dur
        }' >>"$RESULTS/runs.tsv"
    log "$(tail -n1 "$RESULTS/runs.tsv" | tr '\t' ' ')"
}

log "runs: rounds=$ROUNDS duration=${DURATION}s threads=$THREADS loads=$LOADS"
for round in $(seq 1 "$ROUNDS"); do
    for conns in $LOADS; do
        run_wrk incidentd "$OURS_PID" "$OURS_PORT" "$conns" "$round"
        run_wrk hummingbird "$PEER_PID" "$PEER_PORT" "$conns" "$round"
    done
done

OURS_HWM=$(status_kb "$OURS_PID" VmHWM)
PEER_HWM=$(status_kb "$PEER_PID" VmHWM)

# --- table --------------------------------------------------------------------------------------
{
    printf 'GET /healthz, wrk -t%s -d%ss --latency, median of %s alternated runs (%s)\n' \
        "$THREADS" "$DURATION" "$ROUNDS" "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf 'machine: %s cores, %s; access log: %s, INCIDENTD_LOG_LEVEL=%s\n\n' "$(nproc)" \
        "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        "$([[ $OURS_LOG == /dev/null ]] && echo /dev/null || echo file)" "${INCIDENTD_LOG_LEVEL:-info}"
    awk -F'\t' '
        function median(key,   n, i, j, t, v) {
            n = split(vals[key], v, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
                t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
            }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        {
            for (c = 4; c <= 9; c++) vals[$1, $2, c] = vals[$1, $2, c] " " $c
            if (!($2 in seen)) { seen[$2] = 1; order[++loads] = $2 }
            runs[$1, $2] = runs[$1, $2] " " $4
        }
        END {
            printf "| conns | server | req/s | p50 ms | p99 ms | errors (sum) | CPU us/req | CPU %% | req/s per run |\n"
            printf "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            for (l = 1; l <= loads; l++) {
                k = order[l]
                for (s = 1; s <= 2; s++) {
                    name = s == 1 ? "incidentd" : "hummingbird"
                    split(vals[name, k, 7], e, " "); errs = 0; for (i in e) errs += e[i]
                    m[s, 4] = median(name SUBSEP k SUBSEP 4); m[s, 5] = median(name SUBSEP k SUBSEP 5)
                    m[s, 6] = median(name SUBSEP k SUBSEP 6); m[s, 8] = median(name SUBSEP k SUBSEP 8)
                    printf "| %s | %s | %.0f | %.2f | %.2f | %d | %.1f | %.0f |%s |\n", k, name, m[s, 4], m[s, 5],
                        m[s, 6], errs, m[s, 8], median(name SUBSEP k SUBSEP 9), runs[name, k]
                }
                printf "| %s | ratio ours/peer | %.2f | %.2f | %.2f | | %.2f | | |\n", k, m[1, 4] / m[2, 4],
                    m[1, 5] / m[2, 5], m[1, 6] / m[2, 6], m[1, 8] / m[2, 8]
            }
        }' "$RESULTS/runs.tsv"
    printf '\n| | incidentd | hummingbird |\n| --- | ---: | ---: |\n'
    printf '| start to first 200 | %s ms (first start with initdb + migrations: %s ms) | %s ms |\n' \
        "$OURS_START_MS" "$OURS_FIRST_MS" "$PEER_START_MS"
    printf '| peak RSS (VmHWM) after the runs | %s MB | %s MB |\n' \
        $((OURS_HWM / 1024)) $((PEER_HWM / 1024))
} | tee "$RESULTS/table.md"
log "raw output: $RESULTS"
