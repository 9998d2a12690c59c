#!/usr/bin/env python3
"""Raw HTTP cases against a running incidentd: each case is bytes on a fresh connection, the
status it must get, and whether the connection must then be closed. Standard library only.

    scripts/reliability/http_cases.py --port 8080

Exit status 0 when every case passes. docs/RELIABILITY.md records a run.
"""
import argparse
import socket
import sys
import time

HOST = "Host: t\r\n"
CHUNKED = "POST /healthz HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"

# (name, request bytes, expected status or None for "closed without an answer",
#  must close, seconds to wait for the answer, shut our side after sending)
CASES = [
    ("simple GET", b"GET /healthz HTTP/1.1\r\n" + HOST.encode() + b"\r\n", 200, False, 5, False),
    ("HEAD /health", b"HEAD /health HTTP/1.1\r\n" + HOST.encode() + b"\r\n", 200, False, 5, False),
    ("chunk size with trailing space", (CHUNKED + "5 \r\nhello\r\n0\r\n\r\n").encode(), 400, True, 5, False),
    ("bare ; chunk extension", (CHUNKED + "5;\r\nhello\r\n0\r\n\r\n").encode(), 400, True, 5, False),
    ("chunk extension without value", (CHUNKED + "5;a=\r\nhello\r\n0\r\n\r\n").encode(), 400, True, 5, False),
    ("1,000-byte method", b"A" * 1000 + b" / HTTP/1.1\r\n" + HOST.encode() + b"\r\n", 501, True, 5, False),
    ("FIN in the middle of a body",
     b"POST /api/v1/alerts HTTP/1.1\r\n" + HOST.encode() + b"Content-Length: 100\r\n\r\n{\"service\"",
     None, True, 2, True),
    ("gzip-encoded body",
     b"POST /api/v1/alerts HTTP/1.1\r\n" + HOST.encode()
     + b"Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00",
     415, False, 5, False),
    ("NUL in a query parameter", b"GET /api/v1/alerts?service=%00 HTTP/1.1\r\n" + HOST.encode() + b"\r\n",
     400, False, 5, False),
    ("Content-Length with Transfer-Encoding",
     b"POST /healthz HTTP/1.1\r\n" + HOST.encode() + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     400, True, 5, False),
    ("obs-fold", b"GET /healthz HTTP/1.1\r\n" + HOST.encode() + b"X-A: 1\r\n  2\r\n\r\n", 400, True, 5, False),
    ("bare LF", b"GET /healthz HTTP/1.1\n" + HOST.encode() + b"\n", 400, True, 5, False),
    ("NUL in a header", b"GET /healthz HTTP/1.1\r\n" + HOST.encode() + b"X-A: a\x00b\r\n\r\n", 400, True, 5, False),
    ("missing Host", b"GET /healthz HTTP/1.1\r\n\r\n", 400, True, 5, False),
    ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, True, 5, False),
    ("request line over 8 KiB", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n" + HOST.encode() + b"\r\n", 414, True, 5, False),
    ("headers over 16 KiB", b"GET /healthz HTTP/1.1\r\n" + HOST.encode() + b"X-Big: " + b"b" * 17000 + b"\r\n\r\n",
     431, True, 5, False),
    ("body over 1 MiB announced", b"POST /api/v1/alerts HTTP/1.1\r\n" + HOST.encode() + b"Content-Length: 2000000\r\n\r\n",
     413, True, 5, False),
    ("unknown Expect", b"POST /healthz HTTP/1.1\r\n" + HOST.encode() + b"Expect: 200-ok\r\nContent-Length: 1\r\n\r\n",
     417, True, 5, False),
    ("gzip transfer coding", b"POST /healthz HTTP/1.1\r\n" + HOST.encode() + b"Transfer-Encoding: gzip, chunked\r\n\r\n",
     501, True, 5, False),
]


def read_answer(sock, seconds):
    """(status or None, closed): the first response's status, then whether the peer closed."""
    sock.settimeout(seconds)
    data = b""
    status = None
    deadline = time.monotonic() + seconds
    closed = False
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        data += chunk
        if status is None and b"\r\n" in data:
            status = int(data.split(b" ", 2)[1])
        if status is not None and b"\r\n\r\n" in data:
            head = data.split(b"\r\n\r\n", 1)[0].lower()
            if b"connection: close" not in head:
                break  # kept open: nothing more to learn
            sock.settimeout(max(0.1, deadline - time.monotonic()))
    return status, closed


def run(port):
    failures = 0
    for name, payload, status, must_close, seconds, shut in CASES:
        sock = socket.create_connection(("127.0.0.1", port))
        start = time.monotonic()
        sock.sendall(payload)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        got, closed = read_answer(sock, seconds)
        elapsed = time.monotonic() - start
        sock.close()
        if status is None:
            # Nothing to answer: the connection must be closed at once, not at a timeout.
            ok = got is None and closed and elapsed < 1.0
        else:
            ok = got == status and (closed or not must_close)
        failures += 0 if ok else 1
        print(f"{'pass' if ok else 'FAIL'}  {name}: status {got}, {'closed' if closed else 'open'}, {elapsed:.2f} s")
    print(f"{len(CASES) - failures}/{len(CASES)} cases passed")
    return failures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    sys.exit(1 if run(parser.parse_args().port) else 0)
