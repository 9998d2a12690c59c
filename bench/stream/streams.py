#!/usr/bin/env python3
"""Opens N Server-Sent-Event streams on incidentd and holds them (bench/stream/run.sh).

  streams.py hold PORT KEY N          open N streams, print "READY n", hold until stdin closes
  streams.py latency PORT_A PORT_B KEY M
        one stream on A; M alerts triggered through B; prints p50/p99/max of
        (event received on A) - (trigger answered by B), in ms
"""
import json, socket, sys, time, http.client


def open_stream(port, key, headers=""):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET /api/v1/stream HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer {key}\r\n{headers}\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("stream closed before its head")
        head += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise SystemExit(head.decode(errors="replace"))
    return s, head.split(b"\r\n\r\n", 1)[1]


def hold(port, key, n):
    held = []
    for _ in range(n):
        held.append(open_stream(port, key)[0])
    print(f"READY {len(held)}", flush=True)
    sys.stdin.read()


def latency(port_a, port_b, key, m):
    stream, buffered = open_stream(port_a, key, "")
    stream.settimeout(5)
    samples = []
    for n in range(m):
        conn = http.client.HTTPConnection("127.0.0.1", port_b)
        body = json.dumps({"service": "bench", "source": "bench", "summary": f"n{n}",
                           "severity": "info", "dedup_key": f"bench-{time.time_ns()}"})
        conn.request("POST", "/api/v1/alerts", body,
                     {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        answer = conn.getresponse()
        answer.read()
        answered = time.monotonic()
        assert answer.status in (200, 201), answer.status
        marker = f'"summary":"n{n}"'.encode()
        while marker not in buffered:
            buffered += stream.recv(65536)
        buffered = buffered.split(marker, 1)[1]
        samples.append((time.monotonic() - answered) * 1000)
        time.sleep(0.02)
    samples.sort()
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(f"latency_ms p50={p(0.5):.2f} p99={p(0.99):.2f} max={samples[-1]:.2f} n={len(samples)}")


if __name__ == "__main__":
    if sys.argv[1] == "hold":
        hold(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        latency(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
