#!/usr/bin/env python3
"""Sends exactly N requests of one kind to incidentd over keep-alive connections and checks
every answer's status: the fixed request mix that bench/callgrind/profile.sh counts
instructions over.

Usage: drive.py PORT KIND COUNT CONNS [KEY] [ETAG] [LABEL]
  KIND   healthz  GET /healthz, expects 200
         poll304  GET /api/v1/incidents?status=open&limit=50 with If-None-Match: ETAG (a viewer
                  KEY), expects 304
         ingest   POST /api/v1/alerts, a warning with a new dedup key LABEL-<conn>-<n> (a
                  responder KEY, service bench-ingest), expects 201 or 202
         storm    the same on 100 repeating dedup keys
  CONNS  connections, each sending its share one request at a time (ingest with several
         connections lets group commit batch them)
Prints "sent=N statuses=..." and exits non-zero on any unexpected status.
"""

import socket
import sys
import threading

POLL_PATH = "/api/v1/incidents?status=open&limit=50"


def request_bytes(kind, key, etag, label, conn, n):
    if kind == "healthz":
        return b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    if kind == "poll304":
        return (
            f"GET {POLL_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            f"If-None-Match: {etag}\r\n\r\n"
        ).encode()
    dedup = f"{label}-{conn}-{n}" if kind == "ingest" else f"storm-{n % 100}"
    body = (
        '{"service":"bench-ingest","source":"callgrind","summary":"bench alert '
        + dedup
        + '","severity":"warning","dedup_key":"'
        + dedup
        + '"}'
    ).encode()
    head = (
        f"POST /api/v1/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def read_response(sock, buffer):
    """Reads one response (Content-Length framed); returns (status, rest of buffer)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before a response")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside a body")
        rest += chunk
    return status, rest[length:]


def main():
    port, kind, count, conns = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    key = sys.argv[5] if len(sys.argv) > 5 else ""
    etag = sys.argv[6] if len(sys.argv) > 6 else ""
    label = sys.argv[7] if len(sys.argv) > 7 else "cg"
    expected = {"healthz": {200}, "poll304": {304}, "ingest": {201, 202}, "storm": {201, 202}}[kind]
    statuses = {}
    failures = []
    lock = threading.Lock()

    def worker(conn, share):
        try:
            sock = socket.create_connection(("127.0.0.1", port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buffer = b""
            for n in range(share):
                sock.sendall(request_bytes(kind, key, etag, label, conn, n))
                status, buffer = read_response(sock, buffer)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
            sock.close()
        except Exception as error:  # reported below, never swallowed
            with lock:
                failures.append(repr(error))

    shares = [count // conns + (1 if i < count % conns else 0) for i in range(conns)]
    threads = [threading.Thread(target=worker, args=(i, share)) for i, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"sent={sum(statuses.values())} statuses={sorted(statuses.items())}")
    if failures or set(statuses) - expected or sum(statuses.values()) != count:
        print("failures:", failures, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
