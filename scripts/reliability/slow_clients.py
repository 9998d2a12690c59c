#!/usr/bin/env python3
"""Slow and idle clients against a running incidentd, with a probe measuring what a normal
client sees meanwhile. Standard library only.

    scripts/reliability/slow_clients.py --port 8080 [--connections 200] [--seconds 75]

Attackers (each --connections strong, all at once):
  slow-body   a complete head, then one body byte every 2 s (inside the 10 s body timeout):
              must be cut by the 30 s total for reading a request (408).
  slowloris   one header byte every 2 s: cut by the 10 s header timeout (408).
  idle        connects and sends nothing: closed after the 10 s header timeout.
  flood       opens connections as fast as it can for 5 s and sends nothing.
The probe (a process of its own) sends GET /healthz on one keep-alive connection every 20 ms. Prints, per attacker,
how many connections the server cut and after how long, and the probe's p50/p99/max.
"""
import argparse
import multiprocessing
import selectors
import socket
import statistics
import threading
import time

RESULTS = {}
LOCK = threading.Lock()


def record(kind, seconds, answered):
    with LOCK:
        RESULTS.setdefault(kind, []).append((seconds, answered))


def wait_cut(sock, start, kind, trickle, limit):
    """Trickles bytes (one per 2 s) until the server answers or closes; records when."""
    sock.settimeout(2.0)
    answered = None
    index = 0
    while time.monotonic() - start < limit:
        if trickle is not None:
            try:
                sock.send(trickle[index % len(trickle):index % len(trickle) + 1])
                index += 1
            except OSError:
                break
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            break
        if not data:
            break
        if answered is None and data.startswith(b"HTTP/1.1 "):
            answered = int(data.split(b" ", 2)[1])
    record(kind, time.monotonic() - start, answered)
    sock.close()


def slow_body(port, limit):
    sock = socket.create_connection(("127.0.0.1", port))
    start = time.monotonic()
    sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
    wait_cut(sock, start, "slow-body", b"x", limit)


def slowloris(port, limit):
    sock = socket.create_connection(("127.0.0.1", port))
    wait_cut(sock, time.monotonic(), "slowloris", b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 1000, limit)


def idle(port, limit):
    sock = socket.create_connection(("127.0.0.1", port))
    wait_cut(sock, time.monotonic(), "idle", None, limit)


def flood(port, limit, seconds=5.0):
    """Opens connections as fast as it can for `seconds`, then watches them all from one thread
    (a selector) and records when the server closes each."""
    opened = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        except OSError:
            time.sleep(0.01)
            continue
        sock.setblocking(False)
        opened[sock] = time.monotonic()
    with LOCK:
        RESULTS["flood-opened"] = [(len(opened), None)]
    selector = selectors.DefaultSelector()
    for sock in opened:
        selector.register(sock, selectors.EVENT_READ)
    answers = {}
    while opened and time.monotonic() < end + limit:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if data:
                if data.startswith(b"HTTP/1.1 "):
                    answers[sock] = int(data.split(b" ", 2)[1])
                continue
            record("flood", time.monotonic() - opened.pop(sock), answers.get(sock))
            selector.unregister(sock)
            sock.close()
    for sock, start in opened.items():
        record("flood", time.monotonic() - start, answers.get(sock))
        sock.close()


def probe(port, stop, latencies, failures):
    """GET /healthz on one keep-alive connection every 20 ms until `stop`; in a process of its
    own, so the attackers' threads cannot delay it (the GIL) and distort what it measures."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(5)
    while not stop.is_set():
        start = time.monotonic()
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data or not data.endswith(b'{"status":"ok"}'):
                chunk = sock.recv(4096)
                if not chunk:
                    raise OSError("closed")
                data += chunk
            latencies.append((time.monotonic() - start) * 1000)
        except OSError:
            failures.append(time.monotonic())
            sock = socket.create_connection(("127.0.0.1", port))
            sock.settimeout(5)
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=75, help="give up on an attacker after this long")
    args = parser.parse_args()
    manager = multiprocessing.Manager()
    stop = manager.Event()
    latencies, failures = manager.list(), manager.list()
    prober = multiprocessing.Process(target=probe, args=(args.port, stop, latencies, failures))
    prober.start()
    time.sleep(1)
    baseline = len(latencies)
    threads = []
    for attacker in (slow_body, slowloris, idle):
        for _ in range(args.connections):
            threads.append(threading.Thread(target=attacker, args=(args.port, args.seconds)))
    threads.append(threading.Thread(target=flood, args=(args.port, args.seconds)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    prober.join()
    for kind in ("slow-body", "slowloris", "idle", "flood"):
        rows = RESULTS.get(kind, [])
        if not rows:
            continue
        cut = [seconds for seconds, _ in rows if seconds < args.seconds - 1]
        statuses = sorted({str(answer) for _, answer in rows})
        span = f"{min(cut):.1f}-{max(cut):.1f} s" if cut else "-"
        print(f"{kind:10} {len(rows)} connections, {len(cut)} cut by the server after {span}, answers {statuses}")
    print(f"flood opened {RESULTS.get('flood-opened', [(0, None)])[0][0]} connections in 5 s")
    during = list(latencies)[baseline:]
    if during:
        ordered = sorted(during)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"probe: {len(during)} requests, p50 {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms, "
              f"max {ordered[-1]:.2f} ms, {len(failures)} failed")


if __name__ == "__main__":
    main()
