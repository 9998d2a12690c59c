"""Makes the benchmark's schedules through the API (bench/schedules/run.sh).

Usage: seed.py BASE_URL ADMIN_KEY. Prints "name id at_from at_span" per schedule, the range
(Unix seconds) the benchmark asks `oncall?at=` about.

Eight users; two schedules in Europe/London (daylight saving changes inside the ranges), each
with the same 5 layers (weekly, 2-daily, weekday office hours, 6-hourly on weekends, weekly
nights) and 1,000 overrides:
  spread  one override every 8.76 h over a year (3-6 h each), asked about over that year:
          about 40 overrides lie within two weeks of any instant.
  dense   1,000 overlapping overrides (1-24 h each) starting within 14 days, asked about over
          those 14 days: every request's two-week window holds all 1,000.
Random choices come from a fixed seed, so every run makes the same schedules.
"""

import json
import random
import sys
import urllib.request
from datetime import datetime, timedelta, timezone

BASE, KEY = sys.argv[1], sys.argv[2]
rng = random.Random(15)


def post(path, body):
    request = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def rfc3339(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


users = [
    post("/api/v1/users", {"name": f"bench user {n}", "email": f"bench{n}@example.com", "time_zone": "Europe/London"})[
        "id"
    ]
    for n in range(1, 9)
]


def layers():
    u = users
    return [
        {"name": "weekly primary", "rotation": "weekly", "start": "2026-06-01T09:00:00", "participants": u[0:4]},
        {"name": "two-day secondary", "rotation": "daily", "length": 2, "start": "2026-06-01T08:00:00",
         "participants": u[4:7]},
        {"name": "office hours", "rotation": "daily", "start": "2026-06-01T09:00:00", "participants": [u[7], u[0]],
         "restriction": {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}},
        {"name": "weekend follow-the-sun", "rotation": "hourly", "length": 6, "start": "2026-06-06T00:00:00",
         "participants": [u[1], u[4], u[7]], "restriction": {"days": ["sat", "sun"]}},
        {"name": "nights", "rotation": "weekly", "start": "2026-06-01T00:00:00", "participants": [u[2], u[5]],
         "restriction": {"from": "00:00", "to": "06:00"}},
    ]


def schedule(name, overrides, at_from, at_span):
    created = post("/api/v1/schedules", {"name": name, "time_zone": "Europe/London", "layers": layers()})
    for start, hours in overrides:
        post(
            f"/api/v1/schedules/{created['id']}/overrides",
            {"user": rng.choice(users), "start": rfc3339(start), "end": rfc3339(start + timedelta(hours=hours))},
        )
    print(name, created["id"], int(at_from.timestamp()), at_span)


year_start = datetime(2026, 7, 1, tzinfo=timezone.utc)
year = 365 * 86_400
schedule(
    "spread",
    [(year_start + timedelta(seconds=k * year // 1000), rng.randint(3, 6)) for k in range(1000)],
    year_start,
    year,
)
dense_start = datetime(2027, 3, 20, tzinfo=timezone.utc)  # the window holds the 28 March change
fortnight = 14 * 86_400
schedule(
    "dense",
    [(dense_start + timedelta(seconds=rng.randrange(fortnight)), rng.randint(1, 24)) for _ in range(1000)],
    dense_start,
    fortnight,
)
