#!/usr/bin/env python3
"""An independent oracle for incidentd's recurring maintenance windows (issue 17, SPEC §12).

Reads a JSON document (the path in argv[1]) and writes JSON to stdout. It shares no code with the
Swift implementation: the RFC 5545 rule is expanded by python-dateutil's `rrulestr` over naive
wall-clock times (DTSTART naive, so dateutil does wall-clock arithmetic only), and each wall time
becomes an instant by the schedules' rules with Python's zoneinfo over the system's tz database
(`to_instant` of ../Schedules/oncall_oracle.py: an ambiguous time is its first occurrence, one
that does not exist becomes the transition instant).

Input:
  {"cases": [{"rule": "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0", "zone": "UTC",
              "dtstart": "2026-01-01T00:00:00", "duration": 7200,
              "ranges": [[from, to], ...], "instants": [t, ...]}]}      (Unix seconds)
Output:
  {"starts": [[[occurrence starts in [from, to), ascending, each instant once] per range] per case],
   "periods": [[[start, end] of the period at or after t, or null, per instant] per case]}

A period is a run of occurrences [start, start + duration) that overlap or touch, merged.
"""

import json
import os
import sys
from datetime import datetime, timedelta, timezone

from dateutil.rrule import rrulestr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Schedules"))
from oncall_oracle import load_zone, to_instant, wall  # noqa: E402

UTC = timezone.utc
SLACK = timedelta(days=2)
HORIZON = timedelta(days=2 * 366)


def stamp(instant):
    return int(instant.timestamp())


def starts_between(rule, zone, first, last):
    """Occurrence instants in [first, last), from wall times a couple of days either side."""
    lower = wall(first, zone) - SLACK
    upper = wall(last, zone) + SLACK
    found = {to_instant(local, zone) for local in rule.between(lower, upper, inc=True)}
    return sorted(instant for instant in found if first <= instant < last)


def period_at_or_after(rule, zone, duration, instant):
    """The merged period containing `instant`, else the first after it (None within the horizon)."""
    local = wall(instant - duration, zone) - SLACK
    end_of_search = instant + HORIZON
    start = None
    for occurrence in rule.xafter(local, inc=True):
        begins = to_instant(occurrence, zone)
        if begins >= end_of_search:
            return None
        if begins + duration > instant:
            start = begins
            break
    if start is None:
        return None
    end = start + duration
    # Earlier occurrences that reach `start` (only where the clocks changed).
    probe = start
    while True:
        before = rule.before(wall(probe, zone) + timedelta(seconds=0), inc=False)
        earlier = None
        while before is not None:
            candidate = to_instant(before, zone)
            if candidate < probe:
                earlier = candidate
                break
            before = rule.before(before, inc=False)
        if earlier is None or earlier + duration < probe:
            break
        probe = earlier
    start = probe
    # Later occurrences that start at or before `end`.
    for occurrence in rule.xafter(wall(start, zone) - SLACK, inc=True):
        begins = to_instant(occurrence, zone)
        if begins <= start:
            continue
        if begins > end:
            break
        end = max(end, begins + duration)
    return [stamp(start), stamp(end)]


def main():
    with open(sys.argv[1]) as handle:
        document = json.load(handle)
    zones = {}
    all_starts, all_periods = [], []
    for case in document["cases"]:
        zone = zones.setdefault(case["zone"], load_zone(case["zone"]))
        dtstart = datetime.strptime(case["dtstart"], "%Y-%m-%dT%H:%M:%S")
        rule = rrulestr(case["rule"], dtstart=dtstart)
        duration = timedelta(seconds=case["duration"])
        ranges = []
        for first, last in case["ranges"]:
            found = starts_between(
                rule, zone, datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC))
            ranges.append([stamp(instant) for instant in found])
        all_starts.append(ranges)
        all_periods.append([
            period_at_or_after(rule, zone, duration, datetime.fromtimestamp(value, UTC))
            for value in case["instants"]
        ])
    json.dump({"starts": all_starts, "periods": all_periods}, sys.stdout)


if __name__ == "__main__":
    main()
