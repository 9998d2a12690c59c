# Shared by the benchmark scripts (sourced, not run): logging and stopping what a run started.
# The caller sets WORK (its temporary folder; the embedded PostgreSQL lives in $WORK/data).

log() { printf '== %s\n' "$*" >&2; }

# wait_exit PID SECONDS: true once PID is gone, false if it is still there after SECONDS.
wait_exit() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}

# stop_bench PID...: SIGTERM to each server (incidentd stops its embedded PostgreSQL on
# SIGTERM), SIGKILL after 40 s; a PostgreSQL left behind by a killed incidentd is stopped
# through its pid file; then $WORK is removed.
stop_bench() {
    local pid
    for pid in "$@"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        wait_exit "$pid" 40 || kill -KILL "$pid" 2>/dev/null || true
    done
    local postmaster=$WORK/data/postgres/postmaster.pid
    if [[ -f $postmaster ]]; then
        pid=$(head -n1 "$postmaster")
        kill -TERM "$pid" 2>/dev/null || true
        wait_exit "$pid" 30 || true
    fi
    rm -rf "$WORK"
}

# proc_ticks PID FIRST LAST: the sum of fields FIRST..LAST of /proc/PID/stat, counted after the
# command name (proc(5): utime is field 14, i.e. 12 after "pid (comm)"); 0 if PID is gone.
proc_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    awk -v a="$2" -v b="$3" '{ s = 0; for (i = a; i <= b; i++) s += $i; print s }' <<<"$stat"
}

# pg_ticks DATA_DIR: CPU ticks of the whole PostgreSQL of that data folder: the postmaster's own
# and its reaped children's (backends that ended), plus every live child's.
pg_ticks() {
    local postmaster total child
    postmaster=$(head -n1 "$1/postmaster.pid")
    total=$(proc_ticks "$postmaster" 12 15)
    for child in $(ps -o pid= --ppid "$postmaster"); do
        total=$((total + $(proc_ticks "$child" 12 13)))
    done
    echo "$total"
}

# settle_postgres DATA_DIR: before a measured run, so that none pays for the one before it: a
# CHECKPOINT (the previous run's WAL is flushed now, not during the next run) and a wait (up to
# a minute) until no autovacuum worker runs. Needs the embedded cluster's superuser, postgres.
settle_postgres() {
    local psql=(runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h "$1" -p 5432 -d incidentd -At -X -q)
    local waited=0
    "${psql[@]}" -c CHECKPOINT
    while (($("${psql[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'") > 0)); do
        ((waited < 600)) || break
        sleep 0.1
        waited=$((waited + 1))
    done
    ((waited == 0)) || log "waited $((waited / 10)).$((waited % 10)) s for autovacuum to finish"
}

# wrk_summary FILE: the figures of a `wrk --latency` output, one line "req/s p50_ms p99_ms
# socket_errors non_2xx_3xx requests" (latencies in ms whatever unit wrk printed; absent: 0).
wrk_summary() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            if (v ~ /s$/) return v * 1000
            return v + 0
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / requests in / { requests = $1 }
        /Socket errors:/ { gsub(",", ""); socket += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { non2xx += $NF }
        /^Requests\/sec:/ { rps = $2 }
        END { print rps + 0, p50 + 0, p99 + 0, socket + 0, non2xx + 0, requests + 0 }' "$1"
}
