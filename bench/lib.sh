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
