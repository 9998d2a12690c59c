#!/usr/bin/env python3
"""Proves Opsgenie's own Python SDK works against incidentd unchanged (issue 17, SPEC §12).

Usage: opsgenie_clients.py BASE_URL ROUTING_KEY API_KEY HEARTBEAT

With opsgenie-sdk 2.1.5 (pinned in scripts/test-deps/python.txt, installed by
scripts/install-test-deps) pointed at BASE_URL (Configuration().host) and the routing key as its
GenieKey, it creates an alert, polls the request status the way the SDK does after a 202
(retrieve_result), acknowledges, adds a note and closes it by alias, and pings the heartbeat
HEARTBEAT (HeartbeatApi.ping). After each step it reads the alert back from the native API
(API_KEY needs the viewer role) and checks it.

Exit codes: 0 all checks passed, 1 a check failed or the SDK is not installed.
"""

import json
import sys
import urllib.request
import uuid

try:
    import opsgenie_sdk
except ImportError:
    print("FAIL opsgenie-sdk is not installed: run scripts/install-test-deps", file=sys.stderr)
    sys.exit(1)


class Checker:
    """Reads incidentd's native API and records failed checks."""

    def __init__(self, base_url, api_key):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.failures = []

    def get(self, path):
        request = urllib.request.Request(
            self.base_url + path, headers={"Authorization": f"Bearer {self.api_key}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def expect(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            self.failures.append(message)


def client_for(base_url, routing_key):
    """The SDK's client as its README configures it, with incidentd as the host."""
    configuration = opsgenie_sdk.Configuration()
    configuration.api_key["Authorization"] = routing_key
    configuration.api_key_prefix["Authorization"] = "GenieKey"
    configuration.host = base_url.rstrip("/")
    # A failing check should fail in seconds, not after the SDK's minute of retries.
    configuration.retry_count = 1
    configuration.retry_delay = 1
    configuration.retry_max_delay = 5
    return opsgenie_sdk.ApiClient(configuration=configuration)


def exercise_alert(alerts, checker):
    alias = f"sdk-{uuid.uuid4().hex[:12]}"
    payload = opsgenie_sdk.CreateAlertPayload(
        message="Opsgenie SDK compatibility alert", alias=alias, description="Raised by opsgenie-sdk 2.1.5",
        priority="P2", source="opsgenie-sdk", tags=["compat"], details={"check": "opsgenie_clients.py"},
        entity="compat-host")
    created = alerts.create_alert(create_alert_payload=payload)
    checker.expect(created.result == "Request will be processed", f"create answered 202 ({created.result})")
    status = created.retrieve_result()
    checker.expect(status.data.is_success is True, "request status says the create succeeded")
    checker.expect(status.data.alias == alias, f"request status names alias {alias}")
    checker.expect(status.data.action == "Create", f"request status action is Create ({status.data.action})")
    alert_id = status.data.alert_id
    checker.expect(bool(alert_id) and created.id == alert_id, f"the response's id is the alert id ({alert_id})")
    again = alerts.get_request_status(request_id=created.request_id)
    checker.expect(again.data.alert_id == alert_id, "get_request_status answers the same")

    alert = checker.get(f"/api/v1/alerts/{alert_id}")
    checker.expect(alert["status"] == "triggered", "alert is triggered in incidentd")
    checker.expect(alert["severity"] == "error", f"P2 became severity error ({alert['severity']})")
    checker.expect(alert["dedup_key"] == alias, "the alias is the dedup key")
    checker.expect(alert["summary"] == "Opsgenie SDK compatibility alert", "the message is the summary")

    alerts.acknowledge_alert(
        identifier=alias, identifier_type="alias",
        acknowledge_alert_payload=opsgenie_sdk.AcknowledgeAlertPayload(user="alice", note="on it", source="sdk"))
    alert = checker.get(f"/api/v1/alerts/{alert_id}")
    checker.expect(alert["status"] == "acknowledged" and alert["acknowledged_by"] == "alice",
                   f"acknowledged by alice ({alert['status']}, {alert['acknowledged_by']})")

    noted = alerts.add_note(
        identifier=alias, identifier_type="alias",
        add_note_to_alert_payload=opsgenie_sdk.AddNoteToAlertPayload(user="alice", note="failover done"))
    checker.expect(noted.retrieve_result().data.status == "Added note", "note request succeeded")
    timeline = checker.get(f"/api/v1/alerts/{alert_id}/timeline?limit=500")["items"]
    checker.expect(any(entry["body"] == "failover done" for entry in timeline), "the note is on the alert's timeline")

    closed = alerts.close_alert(
        identifier=alias, identifier_type="alias",
        close_alert_payload=opsgenie_sdk.CloseAlertPayload(user="alice", note="fixed", source="sdk"))
    checker.expect(closed.retrieve_result().data.status == "Closed alert", "close request succeeded")
    alert = checker.get(f"/api/v1/alerts/{alert_id}")
    checker.expect(alert["status"] == "resolved" and alert["resolution"] == "fixed",
                   f"closed: resolved with the note as resolution ({alert['status']})")


def exercise_heartbeat(heartbeats, name, checker):
    before = checker.get(f"/api/v1/heartbeats/{name}")
    pong = heartbeats.ping(name)
    checker.expect(pong.result == "PONG - Heartbeat received", f"ping answered PONG ({pong.result})")
    after = checker.get(f"/api/v1/heartbeats/{name}")
    checker.expect(after["state"] == "healthy" and after["last_ping_at"] != before["last_ping_at"],
                   f"heartbeat {name} is healthy with a new last_ping_at")
    try:
        heartbeats.ping(name + "-typo")
        checker.expect(False, "a ping to an unknown heartbeat fails")
    except opsgenie_sdk.ApiException as error:
        checker.expect(error.status == 404, f"a ping to an unknown heartbeat is 404 ({error.status})")


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, routing_key, api_key, heartbeat = sys.argv[1:]
    checker = Checker(base_url, api_key)
    client = client_for(base_url, routing_key)
    exercise_alert(opsgenie_sdk.AlertApi(api_client=client), checker)
    exercise_heartbeat(opsgenie_sdk.HeartbeatApi(api_client=client), heartbeat, checker)
    if checker.failures:
        print(f"{len(checker.failures)} Opsgenie SDK check(s) failed", file=sys.stderr)
        return 1
    print("all Opsgenie SDK checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
