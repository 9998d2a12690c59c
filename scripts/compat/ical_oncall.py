#!/usr/bin/env python3
"""Checks a schedule's calendar.ics against its oncall?at= answers (issue 15, SPEC §10, §14).

Usage: ical_oncall.py BASE_URL API_KEY SCHEDULE_ID SEED FROM TO

Downloads GET /api/v1/schedules/ID/calendar.ics, parses it with the PyPI `icalendar` package
and expands it with `recurring-ical-events` (an independent iCalendar implementation). Then, at
every event's first second, last second and the second after it, and at 400 random instants
(seeded), all within [FROM, TO) (RFC 3339: the span the calendar covers), asks GET /api/v1/schedules/ID/oncall?at= and checks that the
calendar names the same person ("On call: <name>", nobody when no event covers the instant).
Also checks that events are in UTC and never overlap. Prints "agreed at N instants" and exits
0, or prints each disagreement and exits 1.
"""

import json
import random
import sys
import urllib.request
from datetime import datetime, timedelta, timezone

UTC = timezone.utc


def get(base_url, api_key, path):
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {api_key}"})
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.headers.get("Content-Type", ""), response.read()


def main():
    base_url, api_key, schedule, seed = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], int(sys.argv[4])
    window_start, window_end = (datetime.fromisoformat(text.replace("Z", "+00:00")) for text in sys.argv[5:7])
    import icalendar
    import recurring_ical_events

    content_type, body = get(base_url, api_key, f"/api/v1/schedules/{schedule}/calendar.ics")
    failures = []
    if not content_type.startswith("text/calendar"):
        failures.append(f"Content-Type is {content_type}")
    calendar = icalendar.Calendar.from_ical(body)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("DTSTART"))
    if not events:
        failures.append("the calendar has no events")
    spans = []
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if start.utcoffset() != timedelta(0) or end.utcoffset() != timedelta(0):
            failures.append(f"{event['UID']} is not in UTC")
        spans.append((start, end, str(event["SUMMARY"])))
    for (_, earlier_end, _), (later_start, _, _) in zip(spans, spans[1:]):
        if later_start < earlier_end:
            failures.append(f"events overlap at {later_start}")

    instants = []
    for start, end, _ in spans:
        instants += [start, end - timedelta(seconds=1), end]
    # Beyond the window the calendar leaves shifts out; the edge events' own bounds may lie there.
    instants = [instant for instant in instants if window_start <= instant < window_end]
    generator = random.Random(seed)
    seconds = int((window_end - window_start).total_seconds())
    instants += [window_start + timedelta(seconds=generator.randrange(seconds)) for _ in range(400)]

    expander = recurring_ical_events.of(calendar)
    for instant in instants:
        covering = expander.between(instant, instant + timedelta(seconds=1))
        names = sorted(str(event["SUMMARY"]).removeprefix("On call: ") for event in covering)
        at = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        _, answer = get(base_url, api_key, f"/api/v1/schedules/{schedule}/oncall?at={at}")
        user = json.loads(answer)["user"]
        expected = [user["name"]] if user else []
        if names != expected:
            failures.append(f"{at}: calendar {names}, oncall {expected}")

    if failures:
        print("\n".join(failures[:50]))
        sys.exit(1)
    print(f"agreed at {len(instants)} instants over {len(spans)} events")


if __name__ == "__main__":
    main()
