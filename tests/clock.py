"""Run the whole suite at another instant: `./scripts/dev test --now 2027-02-28T16:30:00Z`.

The clock is moved once, before any test or fixture runs, with time-machine (it patches
`time.time`, `datetime.now`, `date.today` and Django's `timezone.now` alike) and keeps ticking
from there. CI runs the suite again at a month's first hour in Asia/Shanghai and at a year
boundary a year ahead, so a test that builds its dates from "today" fails on the day it would
have failed in production. Tests that need one fixed instant freeze it themselves
(`time_machine.travel(..., tick=False)`), nested inside this travel.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest

#: The portal's time zone (settings.TIME_ZONE): every date rule is cut at its midnights.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year, month, day, hour=0, minute=0, second=0) -> dt.datetime:
    """An aware instant on the Asia/Shanghai wall clock, for tests at a day's boundary."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=os.environ.get("TEST_NOW", ""),
        metavar="INSTANT",
        help="run the suite with the clock moved to INSTANT (ISO 8601 with an offset or Z, "
        "e.g. 2027-02-28T16:30:00Z); also read from TEST_NOW",
    )


def moved_to(value: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--now needs an offset or Z: {value!r}")
    return instant


def pytest_configure(config):
    value = config.getoption("now")
    if not value:
        return
    import time_machine

    instant = moved_to(value)
    traveller = time_machine.travel(instant, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
    config._moved_clock = instant


def pytest_report_header(config):
    instant = getattr(config, "_moved_clock", None)
    if instant:
        return f"clock moved to {instant.isoformat()} (--now)"
    return None
