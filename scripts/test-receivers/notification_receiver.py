#!/usr/bin/env python3
"""A webhook receiver for incidentd's end-to-end notification tests (and a manual check).

Binds 127.0.0.1 on a free port, prints "PORT <n>" and serves POSTs until killed (or until the
process that started it ends). Every request is verified, answered, and appended to --record as
one JSON line:
  {"method", "path", "headers": [[name, value]], "body",
   "standard_webhooks": "verified" | "failed: <why>" | null (no secret configured),
   "forwarded_status": <status of the forwarded copy> | null, "status": <status answered>}

What it does is read from the JSON file --control on every request, so a test can change it
while the receiver runs ("fix" a receiver, set the secret once the channel exists):
  "secret"   whsec_... : verify webhook-id/-timestamp/-signature with the PyPI
             `standardwebhooks` library; a failure is answered 401
  "forward"  {path: url}: after verifying, send the same request (body and headers as received)
             on to url, e.g. Debian's `webhook` (adnanh) checking X-Incidentd-Signature, and
             answer with its status and body
  "answers"  {path: [[status, body], ...]}: the n-th request to path gets the n-th answer,
             the last one repeating; default 200 with an empty body
  "per_id"   {path: [[status, body], ...]}: the same, counted per webhook-id (a receiver
             that fails each delivery's first attempt)
  "delay"    {path: seconds}: wait this long before answering
"""
import argparse
import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

lock = threading.Lock()
path_counts = {}
id_counts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "notification-receiver"

    def log_message(self, format, *args):  # quiet: the test reads the record file
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        control = read_control(self.server.control_path)
        path = self.path.split("?", 1)[0]
        webhook_id = self.headers.get("webhook-id")
        with lock:
            path_counts[path] = path_counts.get(path, 0) + 1
            n = path_counts[path]
            key = (path, webhook_id)
            id_counts[key] = id_counts.get(key, 0) + 1
            m = id_counts[key]
        verdict = None
        if control.get("secret"):
            try:
                Webhook(control["secret"]).verify(body, dict(self.headers.items()))
                verdict = "verified"
            except Exception as error:  # WebhookVerificationError and malformed secrets alike
                verdict = "failed: %s" % error
        forwarded = None
        if verdict is not None and verdict != "verified":
            status, answer = 401, verdict.encode()
        elif path in control.get("forward", {}):
            forwarded, answer = forward(control["forward"][path], self.headers, body)
            status = forwarded
        elif path in control.get("per_id", {}):
            status, answer = pick(control["per_id"][path], m)
        else:
            status, answer = pick(control.get("answers", {}).get(path, [[200, ""]]), n)
        delay = control.get("delay", {}).get(path)
        if delay:
            time.sleep(delay)
        record(self.server.record_path, {
            "method": self.command, "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"), "standard_webhooks": verdict,
            "forwarded_status": forwarded, "status": status,
        })
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def pick(answers, n):
    status, body = answers[min(n, len(answers)) - 1]
    return int(status), body.encode()


def forward(url, headers, body):
    request = urllib.request.Request(url, data=body, method="POST")
    for name, value in headers.items():
        if name.lower() not in ("host", "content-length", "connection"):
            request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def read_control(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def record(path, entry):
    with lock, open(path, "a") as f:
        f.write(json.dumps(entry) + "\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, record_path, control_path):
        self.record_path = record_path
        self.control_path = control_path
        super().__init__((host, 0), Handler)


def exit_with_parent():
    """Ends this receiver when the process that started it is gone, even killed."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    exit_with_parent()
    server = Server(args.host, args.record, args.control)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
