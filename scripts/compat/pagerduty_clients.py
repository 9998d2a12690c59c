#!/usr/bin/env python3
"""Proves PagerDuty's own Python clients work against incidentd (issue 5).

Usage: pagerduty_clients.py BASE_URL ROUTING_KEY API_KEY

With pdpyras 5.4.1 (EventsAPISession) and pagerduty 7.2.0 (EventsApiV2Client) it triggers,
acknowledges and resolves an alert through POST /v2/enqueue and sends a change event through
POST /v2/change/enqueue; after each step it reads the alert back from the native API
(GET /api/v1/alerts, API_KEY needs the viewer role) and checks its status.

Installs the two clients with pip when they are missing. Exit codes: 0 all checks passed,
1 a check failed, 77 the clients are not installed and could not be installed (skip).
"""

import json
import subprocess
import sys
import urllib.request
import uuid
import warnings

PACKAGES = ["pdpyras==5.4.1", "pagerduty==7.2.0"]
SKIP = 77


def import_clients():
    """Imports both clients, installing them with pip first when needed."""
    warnings.filterwarnings("ignore", category=UserWarning)  # pdpyras announces its deprecation
    try:
        import pagerduty
        import pdpyras
        return pdpyras, pagerduty
    except ImportError:
        print(f"installing {' '.join(PACKAGES)} with pip", file=sys.stderr)
        install = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", *PACKAGES], capture_output=True, text=True)
        if install.returncode != 0:
            print("!" * 72, file=sys.stderr)
            print("SKIPPED: PagerDuty clients could not be installed:\n" + install.stderr[-2000:], file=sys.stderr)
            print("!" * 72, file=sys.stderr)
            sys.exit(SKIP)
    import pagerduty
    import pdpyras
    return pdpyras, pagerduty


class Checker:
    """Reads alerts back through the native API and records failed checks."""

    def __init__(self, base_url, api_key):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.failures = []

    def alert(self, dedup_key):
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/alerts?limit=500", headers={"Authorization": f"Bearer {self.api_key}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            items = json.load(response)["items"]
        matches = [item for item in items if item["dedup_key"] == dedup_key]
        return matches[0] if matches else None

    def expect(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            self.failures.append(message)

    def expect_status(self, client, dedup_key, status):
        alert = self.alert(dedup_key)
        found = alert["status"] if alert else None
        self.expect(found == status, f"{client}: alert {dedup_key} is {status} (found {found})")


def exercise(client, name, checker):
    """Trigger, acknowledge and resolve through one client; also a trigger without dedup key."""
    dedup_key = f"{name}-{uuid.uuid4().hex[:12]}"
    returned = client.trigger(f"{name} compatibility alert", "compat-host", dedup_key=dedup_key, severity="error")
    checker.expect(returned == dedup_key, f"{name}: trigger returned the dedup key")
    checker.expect_status(name, dedup_key, "triggered")
    checker.expect(client.acknowledge(dedup_key) == dedup_key, f"{name}: acknowledge returned the dedup key")
    checker.expect_status(name, dedup_key, "acknowledged")
    checker.expect(client.resolve(dedup_key) == dedup_key, f"{name}: resolve returned the dedup key")
    checker.expect_status(name, dedup_key, "resolved")
    # PagerDuty drops a resolve of nothing open and still answers 202 with the key.
    checker.expect(client.resolve(dedup_key) == dedup_key, f"{name}: resolving again is accepted")
    generated = client.trigger(f"{name} alert without key", "compat-host", severity="warning")
    checker.expect(bool(generated), f"{name}: trigger without dedup_key returned one ({generated})")
    checker.expect_status(name, generated, "triggered")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, routing_key, api_key = sys.argv[1:]
    pdpyras, pagerduty = import_clients()
    checker = Checker(base_url, api_key)

    session = pdpyras.EventsAPISession(routing_key)
    session.url = base_url.rstrip("/")
    session.retry[429] = 2  # both clients retry 429 forever by default
    exercise(session, "pdpyras", checker)
    changes = pdpyras.ChangeEventsAPISession(routing_key)
    changes.url = base_url.rstrip("/")
    changes.retry[429] = 2
    change_id = changes.submit("pdpyras deploy marker", source="compat-ci", custom_details={"build": 1})
    checker.expect(bool(change_id), f"pdpyras: change event accepted (id {change_id})")

    client = pagerduty.EventsApiV2Client(routing_key)
    client._url = base_url.rstrip("/")  # its url setter accepts only https://
    client.retry[429] = 2
    exercise(client, "pagerduty", checker)
    # submit() crashes in 7.2.0 unless timestamp= is given (NOTES.md).
    client.submit("pagerduty deploy marker", source="compat-ci", timestamp="2026-01-01T00:00:00Z")
    checker.expect(True, "pagerduty: change event accepted")

    if checker.failures:
        print(f"{len(checker.failures)} check(s) failed", file=sys.stderr)
        return 1
    print("all PagerDuty client checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
