#!/usr/bin/env python3
"""Asks incidentd who is on call through PagerDuty's own REST client (issue 15, SPEC §10).

Usage: pagerduty_oncalls.py BASE_URL API_KEY QUERIES_JSON

QUERIES_JSON is a list of {"params": {...}, "page_size": n or null}. For each, pdpyras 5.4.1's
APISession (which sends `Authorization: Token token=<key>`) runs iter_all('oncalls', params=...)
against BASE_URL and the entries it yields are printed, one JSON list per query, as a JSON
list on stdout. The caller checks them. Exit 1 when pdpyras is missing (scripts/test installs
it into .build-venv) or a request fails.
"""

import json
import sys
import warnings


def main():
    base_url, api_key, queries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    warnings.filterwarnings("ignore", category=UserWarning)  # pdpyras announces its deprecation
    try:
        import pdpyras
    except ImportError as error:
        print(f"pdpyras is not installed ({error}); run scripts/install-test-deps", file=sys.stderr)
        sys.exit(1)
    session = pdpyras.APISession(api_key)
    session.url = base_url
    session.retry[429] = 2
    results = []
    for query in queries:
        entries = session.iter_all("oncalls", params=query["params"], page_size=query.get("page_size"))
        results.append(list(entries))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
