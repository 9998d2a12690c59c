#!/usr/bin/env python3
"""An independent oracle for incidentd's on-call schedules (issue 15, SPEC §10 and §14).

Reads a JSON document (the path in argv[1]) and writes JSON to stdout. It shares no code with
the Swift implementation: wall-clock arithmetic is Python's naive datetime plus timedelta, and
the zone rules are read by Python's zoneinfo from the system's tz database files
(/usr/share/zoneinfo, Debian's tzdata), not from ICU's copy that Foundation uses.

Input:
  {"schedules": [{"zone": "America/Chicago",
                  "layers": [{"rotation": "weekly", "length": 1, "start": "2026-01-05T09:00:00",
                              "participants": [1, 2], "anchor": {"handoff": 0, "position": 0},
                              "restriction": null | {"days": ["mon"], "from_minute": 0, "to_minute": 1440}}],
                  "overrides": [{"id": 1, "user": 3, "start": 1767225600, "end": 1767312000}],
                  "instants": [1767225600, ...]}],
   "until": 1830297600}
Output:
  {"users": [[user id or null per instant] per schedule],
   "handoffs": [[[Unix seconds of each hand-off before "until"] per layer] per schedule],
   "transitions": {"zone": [[Unix second, offset seconds after it], ...]}}  (between the first instant and "until")

Rules: a wall time that exists twice takes its first occurrence; one that does not exist
becomes the transition instant (the first second whose wall clock is past it). The newest
(highest id) override covering an instant wins, then the last layer covering it. A layer
covers an instant from its first hand-off on, when it has participants and its restriction
(if any) has a window around the instant: on a listed weekday, from the instant of that day's
from_minute to the instant of its to_minute (exclusive).
"""

import bisect
import json
import sys
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

ZONEINFO = "/usr/share/zoneinfo"
UTC = timezone.utc
UNIT = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def load_zone(name):
    """The zone from the system's tz database file, never from the PyPI tzdata package."""
    with open(f"{ZONEINFO}/{name}", "rb") as handle:
        return ZoneInfo.from_file(handle, key=name)


def wall(instant, zone):
    return instant.astimezone(zone).replace(tzinfo=None)


def to_instant(naive, zone):
    """The instant the wall clock of `zone` shows `naive` (first occurrence; a gap → transition)."""
    found = []
    for fold in (0, 1):
        candidate = naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if wall(candidate, zone) == naive:
            found.append(candidate)
    if found:
        return min(found)
    # In a gap both readings are wrong: one lands before the transition, one after.
    readings = [naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)]
    low, high = min(readings), max(readings)
    while high - low > timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if wall(middle, zone) < naive:
            low = middle
        else:
            high = middle
    return high


def parse_wall(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")


class Layer:
    def __init__(self, spec, zone, until):
        self.zone = zone
        self.participants = spec["participants"]
        self.anchor = spec["anchor"]
        self.restriction = spec.get("restriction")
        step = UNIT[spec["rotation"]] * spec["length"]
        self.handoffs = []
        local = parse_wall(spec["start"])
        while True:
            instant = to_instant(local, zone)
            if instant >= until:
                break
            self.handoffs.append(instant)
            local += step

    def user(self, instant):
        if not self.participants:
            return None
        index = bisect.bisect_right(self.handoffs, instant) - 1
        if index < 0:
            return None
        if self.restriction and not self.covered(instant):
            return None
        position = (self.anchor["position"] + index - self.anchor["handoff"]) % len(self.participants)
        return self.participants[position]

    def covered(self, instant):
        day = wall(instant, self.zone).date()
        for offset in (-1, 0, 1):
            candidate = day + timedelta(days=offset)
            if DAYS[candidate.weekday()] not in self.restriction["days"]:
                continue
            midnight = datetime.combine(candidate, time())
            start = to_instant(midnight + timedelta(minutes=self.restriction["from_minute"]), self.zone)
            end = to_instant(midnight + timedelta(minutes=self.restriction["to_minute"]), self.zone)
            if start <= instant < end:
                return True
        return False


def transitions(zone, first, until):
    """Every offset change in [first, until), found hour by hour and then to the second."""
    found = []
    probe = first
    offset = probe.astimezone(zone).utcoffset()
    while probe < until:
        following = probe + timedelta(hours=1)
        if following.astimezone(zone).utcoffset() != offset:
            low, high = probe, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            offset = high.astimezone(zone).utcoffset()
            found.append([int(high.timestamp()), int(offset.total_seconds())])
        probe = following
    return found


def main():
    with open(sys.argv[1]) as handle:
        document = json.load(handle)
    until = datetime.fromtimestamp(document["until"], UTC)
    users, handoffs, zones = [], [], {}
    for schedule in document["schedules"]:
        zone = load_zone(schedule["zone"])
        layers = [Layer(spec, zone, until) for spec in schedule["layers"]]
        overrides = sorted(schedule["overrides"], key=lambda override: -override["id"])
        answers = []
        for value in schedule["instants"]:
            instant = datetime.fromtimestamp(value, UTC)
            answer = None
            for override in overrides:
                if override["start"] <= value < override["end"]:
                    answer = override["user"]
                    break
            if answer is None:
                for layer in reversed(layers):
                    answer = layer.user(instant)
                    if answer is not None:
                        break
            answers.append(answer)
        users.append(answers)
        handoffs.append([[int(instant.timestamp()) for instant in layer.handoffs] for layer in layers])
        if schedule["zone"] not in zones:
            first = datetime.fromtimestamp(min(schedule["instants"]), UTC).replace(minute=0, second=0, microsecond=0)
            zones[schedule["zone"]] = transitions(zone, first, until)
    json.dump({"users": users, "handoffs": handoffs, "transitions": zones}, sys.stdout)


if __name__ == "__main__":
    main()
