#!/usr/bin/env python3
"""PagerDuty's official client over incidentd's own TLS (issue 20).

Usage: pagerduty_tls.py https://127.0.0.1:PORT ROUTING_KEY API_KEY CA_FILE

pagerduty 7.2.0's EventsApiV2Client takes the https:// base URL through its public
`base_url` argument (it refuses http://, which is why the plain-HTTP compatibility script
has to set a private attribute) and verifies the server's certificate against CA_FILE,
given the standard way (SSL_CERT_FILE, which its httpx transport honours). It triggers,
acknowledges and resolves; the alert's status is read back over HTTPS with urllib.
"""

import json
import os
import ssl
import sys
import urllib.request
import uuid


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, routing_key, api_key, ca_file = sys.argv[1:]
    os.environ["SSL_CERT_FILE"] = ca_file
    import pagerduty

    failures = []
    context = ssl.create_default_context(cafile=ca_file)

    def expect(condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            failures.append(message)

    def status_of(dedup_key):
        request = urllib.request.Request(
            f"{base_url}/api/v1/alerts?limit=500", headers={"Authorization": f"Bearer {api_key}"})
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            items = json.load(response)["items"]
        matches = [item["status"] for item in items if item["dedup_key"] == dedup_key]
        return matches[0] if matches else None

    client = pagerduty.EventsApiV2Client(routing_key, base_url=base_url)
    client.retry[429] = 2
    expect(client.url == base_url, f"the client took the https base URL ({client.url})")
    dedup_key = f"tls-{uuid.uuid4().hex[:12]}"
    returned = client.trigger("pagerduty over native TLS", "tls-host", dedup_key=dedup_key, severity="error")
    expect(returned == dedup_key, "trigger returned the dedup key")
    expect(status_of(dedup_key) == "triggered", "the alert is triggered")
    expect(client.acknowledge(dedup_key) == dedup_key, "acknowledge returned the dedup key")
    expect(status_of(dedup_key) == "acknowledged", "the alert is acknowledged")
    expect(client.resolve(dedup_key) == dedup_key, "resolve returned the dedup key")
    expect(status_of(dedup_key) == "resolved", "the alert is resolved")
    client.submit("deploy marker over TLS", source="tls-ci", timestamp="2026-01-01T00:00:00Z")
    expect(True, "change event accepted")

    # A client that is not told about the test CA must refuse the server.
    del os.environ["SSL_CERT_FILE"]
    untrusting = pagerduty.EventsApiV2Client(routing_key, base_url=base_url)
    untrusting.max_network_attempts = 0  # a refused certificate will not change on retry
    try:
        untrusting.trigger("must not arrive", "tls-host", dedup_key="tls-untrusted")
        expect(False, "a client without the CA refused the certificate")
    except Exception as error:
        # The client wraps httpx's ConnectError, which wraps ssl.SSLCertVerificationError.
        chain, cause = [], error
        while cause is not None and len(chain) < 10:
            chain.append(f"{type(cause).__name__}: {cause}")
            cause = cause.__cause__ or cause.__context__
        text = " <- ".join(chain)
        expect("CERTIFICATE_VERIFY_FAILED" in text, f"a client without the CA refused the certificate ({text})")

    if failures:
        print(f"{len(failures)} PagerDuty TLS check(s) failed")
        return 1
    print("all PagerDuty TLS checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
