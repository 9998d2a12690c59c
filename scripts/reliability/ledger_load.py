#!/usr/bin/env python3
"""Alert intake at a steady rate with a ledger of every acknowledged write (issue 20).

Sends alerts alternately to the native route (`POST /api/v1/alerts`, group commit) and the
PagerDuty Events v2 route (`POST /v2/enqueue`), each with a dedup key of its own, from a pool
of keep-alive connections. Every 2xx answer is an acknowledgement: its dedup key goes into the
ledger. Every request's time and outcome go into the events file, so a driver can tell what
clients saw while it broke something (kill -9 of incidentd, PostgreSQL killed).

    ledger_load.py run --port P --key ADMIN_KEY --routing-key RK --seconds S --rate R \
        --tag RUN --ledger FILE --events FILE
    ledger_load.py verify --ledger FILE --psql "psql -h ... -U ... -d ..."   (exit 1 if any is lost)
    ledger_load.py summarize --events FILE [--fault-at EPOCH] [--restored-at EPOCH] [--deadline S]
    ledger_load.py probe --port P --path /readyz --interval S --events FILE   (until SIGTERM)

SIGTERM ends a run early (after the requests in flight). Standard library only.
"""
import argparse
import http.client
import json
import signal
import subprocess
import sys
import threading
import time


def run(args):
    lock = threading.Lock()
    ledger = open(args.ledger, "a", encoding="utf-8")
    events = open(args.events, "a", encoding="utf-8")
    counter = [0]
    start = time.monotonic()
    start_wall = time.time()  # events carry wall-clock times, comparable with the driver's marks
    end = [start + args.seconds]  # SIGTERM moves it to now: a driver may end the run early
    interval = 1.0 / args.rate
    signal.signal(signal.SIGTERM, lambda *_: end.__setitem__(0, time.monotonic()))

    def next_slot():
        # One global schedule: request n is due at start + n / rate, whoever sends it.
        with lock:
            n = counter[0]
            counter[0] += 1
        return n, start + n * interval

    skipped = [0]

    def worker():
        conn = None
        while True:
            n, due = next_slot()
            if due >= end[0]:
                return
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif args.max_lag is not None and -delay > args.max_lag:
                # Slots that fell due while every connection waited on a hung server: a steady
                # rate afterwards, not a burst of the whole backlog at once.
                with lock:
                    skipped[0] += 1
                continue
            key = f"{args.tag}-{n}"
            if n % 2 == 0:
                route = "native"
                path = "/api/v1/alerts"
                auth = args.key
                body = {"service": "reliability", "source": "ledger_load", "summary": f"ledger {key}",
                        "severity": "warning", "dedup_key": key}
            else:
                route = "pagerduty"
                path = "/v2/enqueue"
                auth = None
                body = {"routing_key": args.routing_key, "event_action": "trigger", "dedup_key": key,
                        "payload": {"summary": f"ledger {key}", "source": "ledger_load", "severity": "warning"}}
            headers = {"Content-Type": "application/json"}
            if auth:
                headers["Authorization"] = "Bearer " + auth
            sent = time.monotonic()
            retry_after = None
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
                conn.request("POST", path, body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                retry_after = response.getheader("Retry-After")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception as error:  # noqa: BLE001 - any failure is an outcome to record
                status = "error:" + type(error).__name__
                if conn is not None:
                    conn.close()
                conn = None
            done = time.monotonic()
            with lock:
                if isinstance(status, int) and 200 <= status < 300:
                    ledger.write(f"{route} {key}\n")
                events.write(json.dumps({"sent": round(start_wall + sent - start, 4),
                                         "done": round(start_wall + done - start, 4),
                                         "route": route, "status": status, "retry_after": retry_after}) + "\n")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # With a timeout, so the main thread gets to run the SIGTERM handler.
        while thread.is_alive():
            thread.join(0.1)
    ledger.close()
    events.close()
    if skipped[0]:
        print(json.dumps({"skipped_late_slots": skipped[0]}), file=sys.stderr)


def probe(args):
    """One GET on a fresh connection every --interval seconds until SIGTERM; each answer's
    times and status go into the events file (same shape as run's)."""
    events = open(args.events, "a", encoding="utf-8")
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    while not stop[0]:
        sent = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
        try:
            conn.request("GET", args.path)
            response = conn.getresponse()
            response.read()
            status, retry_after = response.status, response.getheader("Retry-After")
        except Exception as error:  # noqa: BLE001 - any failure is an outcome to record
            status, retry_after = "error:" + type(error).__name__, None
        finally:
            conn.close()
        done = time.time()
        events.write(json.dumps({"sent": round(sent, 4), "done": round(done, 4), "route": args.path,
                                 "status": status, "retry_after": retry_after}) + "\n")
        events.flush()
        time.sleep(max(0.0, args.interval - (done - sent)))
    events.close()
    return 0


def verify(args):
    acknowledged = {}
    with open(args.ledger, encoding="utf-8") as ledger:
        for line in ledger:
            route, key = line.split()
            acknowledged[key] = route
    query = "SELECT dedup_key FROM alerts"
    stored = set(subprocess.run(args.psql.split() + ["-At", "-c", query], check=True, capture_output=True,
                                text=True).stdout.split())
    lost = sorted(key for key in acknowledged if key not in stored)
    by_route = {}
    for key, route in acknowledged.items():
        by_route[route] = by_route.get(route, 0) + 1
    print(json.dumps({"acknowledged": len(acknowledged), "by_route": by_route, "lost": len(lost),
                      "lost_keys": lost[:20]}))
    return 1 if lost else 0


def summarize(args):
    """What clients saw: statuses, and around a fault (--fault-at, --restored-at: epoch seconds)
    which answers came during it and when service was normal again (the first moment after
    which every request sent for a whole second was acknowledged)."""
    events = [json.loads(line) for line in open(args.events, encoding="utf-8")]
    events.sort(key=lambda e: e["sent"])
    statuses = {}
    for event in events:
        statuses[str(event["status"])] = statuses.get(str(event["status"]), 0) + 1
    summary = {"requests": len(events), "statuses": statuses,
               "503_without_retry_after": sum(1 for e in events if e["status"] == 503 and not e.get("retry_after"))}
    summary["slowest_s"] = round(max((e["done"] - e["sent"] for e in events), default=0), 3)
    if args.deadline is not None:
        summary["over_deadline"] = sum(1 for e in events if e["done"] - e["sent"] > args.deadline)
    if events:
        summary["rate_per_s"] = round(len(events) / max(events[-1]["sent"] - events[0]["sent"], 1e-9), 1)
    if args.fault_at is not None:
        during = [e for e in events if e["done"] >= args.fault_at and e["sent"] <= (args.restored_at or 1e18)]
        during_statuses = {}
        for event in during:
            during_statuses[str(event["status"])] = during_statuses.get(str(event["status"]), 0) + 1
        summary["during_fault"] = during_statuses
        summary["slowest_during_fault_s"] = round(max((e["done"] - e["sent"] for e in during), default=0), 3)
    if args.restored_at is not None:
        after = [e for e in events if e["sent"] >= args.restored_at]
        ok = lambda e: isinstance(e["status"], int) and 200 <= e["status"] < 300  # noqa: E731
        normal_at = None
        for i, event in enumerate(after):
            window = [e for e in after[i:] if e["sent"] < event["sent"] + 1.0]
            if window and all(ok(e) for e in window) and after[-1]["sent"] >= event["sent"] + 1.0:
                normal_at = event["sent"]
                break
        summary["normal_service_after_restore_s"] = (
            round(normal_at - args.restored_at, 3) if normal_at is not None else None)
        summary["after_restore"] = {}
        for event in after:
            key = str(event["status"])
            summary["after_restore"][key] = summary["after_restore"].get(key, 0) + 1
    print(json.dumps(summary))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--key", required=True)
    r.add_argument("--routing-key", required=True)
    r.add_argument("--seconds", type=float, default=10)
    r.add_argument("--rate", type=float, default=300)
    r.add_argument("--connections", type=int, default=32)
    r.add_argument("--timeout", type=float, default=15)
    r.add_argument("--max-lag", type=float, help="skip slots overdue by more than this (seconds)")
    r.add_argument("--tag", required=True)
    r.add_argument("--ledger", required=True)
    r.add_argument("--events", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--ledger", required=True)
    v.add_argument("--psql", required=True)
    m = sub.add_parser("summarize")
    m.add_argument("--events", required=True)
    m.add_argument("--fault-at", type=float)
    m.add_argument("--restored-at", type=float)
    m.add_argument("--deadline", type=float, help="count answers slower than this (seconds)")
    p = sub.add_parser("probe")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/readyz")
    p.add_argument("--interval", type=float, default=0.25)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--events", required=True)
    args = parser.parse_args()
    if args.command == "summarize":
        return summarize(args)
    if args.command == "probe":
        return probe(args)
    if args.command == "run":
        run(args)
        return 0
    return verify(args)


if __name__ == "__main__":
    sys.exit(main())
