"""The instants CI runs the suite at, besides today (`--now`, see tests/clock.py).

    python scripts/moved_clocks.py [YYYY-MM-DD]

prints two ISO instants in UTC, one a line:
1. the first hour of next month in Asia/Shanghai (00:30 local on the 1st, 16:30 UTC the day
   before): where "this month" and "last month" turn, and UTC still says the old date;
2. a calendar edge at least a year ahead, rotating with the week of the year: New Year's night
   two years on, or the first hour after the next 29 February that is more than a year away.
Deterministic for a given day, so a red run can be repeated with the same instants.
"""

import calendar
import datetime as dt
import sys
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def first_hour(day: dt.date) -> dt.datetime:
    """00:30 local on `day`, in UTC."""
    local = dt.datetime(day.year, day.month, day.day, 0, 30, tzinfo=SHANGHAI)
    return local.astimezone(dt.UTC)


def next_month_start(today: dt.date) -> dt.date:
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def calendar_edge(today: dt.date) -> dt.date:
    if today.isocalendar().week % 2:
        return dt.date(today.year + 2, 1, 1)
    year = today.year + 2
    while not calendar.isleap(year):
        year += 1
    return dt.date(year, 3, 1)  # the night after 29 February


def instants(today: dt.date) -> list[dt.datetime]:
    return [first_hour(next_month_start(today)), first_hour(calendar_edge(today))]


if __name__ == "__main__":
    day = dt.date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else dt.date.today()
    for instant in instants(day):
        print(instant.strftime("%Y-%m-%dT%H:%M:%SZ"))
