#!/usr/bin/env python3
"""A recording HTTP/1.1 receiver for the outbound client's tests (plain or TLS).

Binds 127.0.0.1 (or --host, ::1 for IPv6) on a free port, prints "PORT <n>" and serves until killed. Every request is
appended to --record as one JSON line {method, path, headers: [[name, value]], body, peer,
received_at} before it is answered (peer: the client's port, which tells kept-alive connections
apart; received_at: Unix seconds). Paths:
  /ok                   200, body "hello"
  /echo                 200, the request as JSON
  /status/<code>        that status, empty body
  /chunked              200, chunked body "hello, chunked world" with a trailer
  /redirect             302 to /ok (the client must not follow it)
  /big?bytes=N          200 with Content-Length N
  /big-chunked?bytes=N  200, N bytes in 4 KiB chunks
  /close-delimited      200 without Content-Length, body ends at close
  /ok-then-close        200 "hello" with Content-Length, then the connection is closed without a
                        Connection: close header (an idle connection the server drops)
  /hang                 reads the request, never answers (held 30 s)
"""
import argparse
import json
import os
import socket
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

record_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "test-receiver"

    def log_message(self, format, *args):  # quiet: the test reads the record file
        pass

    def record(self, body):
        entry = {
            "method": self.command,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "peer": self.client_address[1],
            # Unix seconds when the request was read: escalation tests measure page lateness.
            "received_at": time.time(),
        }
        with record_lock, open(self.server.record_path, "a") as f:
            f.write(json.dumps(entry) + "\n")
        return entry

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        entry = self.record(body)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        if path == "/ok":
            self.answer(200, b"hello", [("Content-Type", "text/plain")])
        elif path == "/echo":
            self.answer(200, json.dumps(entry).encode(), [("Content-Type", "application/json")])
        elif path.startswith("/status/"):
            self.answer(int(path.split("/")[2]))
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Checksum")
            self.end_headers()
            for piece in [b"hello", b", chunked", b" world"]:
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\nX-Checksum: none\r\n\r\n")
        elif path == "/redirect":
            self.answer(302, b"moved", [("Location", "/ok")])
        elif path == "/big":
            self.answer(200, b"x" * int(query["bytes"][0]))
        elif path == "/big-chunked":
            remaining = int(query["bytes"][0])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            while remaining > 0:
                size = min(remaining, 4096)
                self.wfile.write(b"%x\r\n%s\r\n" % (size, b"y" * size))
                remaining -= size
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/close-delimited":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
            self.wfile.write(b"until the end")
            self.close_connection = True
        elif path == "/ok-then-close":
            self.answer(200, b"hello", [("Content-Type", "text/plain")])
            self.close_connection = True
        elif path == "/hang":
            time.sleep(30)
            self.close_connection = True
        else:
            self.answer(404, b"no such path")

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, record_path, tls_context):
        self.record_path = record_path
        self.tls_context = tls_context
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), Handler)

    def get_request(self):
        sock, address = super().get_request()
        if self.tls_context is not None:
            # The handshake runs on the handler's thread (first read), so a client that
            # refuses our certificate cannot stall the accept loop.
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        pass  # refused handshakes are expected in the tests


def exit_with_parent():
    """Ends this receiver when the test process that started it is gone, even killed."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    exit_with_parent()
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        context.set_alpn_protocols(["http/1.1"])
    server = Server(args.host, args.record, context)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
