"""A bulletin's month at its boundary instants. A month is cut at local (Asia/Shanghai)
midnights, so its first instant is 16:00 UTC on the previous month's last day; an event at
23:59:59 local on the last day belongs to the month, one at 00:00:00 local the next day does
not — although both fall on the same UTC date."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from brands.models import BrandApplication, Status
from bulletins import selectors, services
from bulletins.models import Bulletin

from ..clock import local
from .conftest import audit

pytestmark = pytest.mark.smoke


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_month_bounds_are_local_midnights():
    assert selectors.month_bounds(date(2026, 12, 1)) == (
        utc(2026, 11, 30, 16, 0, 0),
        utc(2026, 12, 31, 16, 0, 0),
    )
    start, end = selectors.month_bounds(date(2028, 2, 1))  # a leap year's February
    assert (end - start).days == 29 and end == local(2028, 3, 1)


@pytest.mark.parametrize(
    ("instant", "month"),
    [
        (utc(2026, 12, 31, 15, 59, 59), date(2026, 11, 1)),  # 23:59:59 on 31 December
        (utc(2026, 12, 31, 16, 0, 0), date(2026, 12, 1)),  # 00:00:00 on 1 January
        (local(2028, 3, 1, 0, 0, 0), date(2028, 2, 1)),  # after a 29 February
        (local(2028, 2, 29, 23, 59, 59), date(2028, 1, 1)),
    ],
)
def test_the_previous_month_turns_at_local_midnight(instant, month):
    with time_machine.travel(instant, tick=False):
        assert selectors.previous_month() == month


def test_an_event_counts_in_the_month_of_its_local_date(org):
    app = BrandApplication.objects.create(
        unit=org.a1, applicant=org.users["secretary"], status=Status.IN_REVIEW, name="边界品牌"
    )
    for at in (
        local(2026, 10, 31, 23, 59, 59),  # October
        local(2026, 11, 1, 0, 0, 0),  # November's first second
        local(2026, 11, 30, 23, 59, 59),  # November's last second (15:59:59 UTC)
        utc(2026, 11, 30, 16, 0, 0),  # 1 December 00:00 local, still 30 November in UTC
    ):
        audit(app, "submit", at, Status.DRAFT, Status.IN_REVIEW)
    counts = {
        month: selectors.activity_section(org.province, month).totals["first_submitted"]
        for month in (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
    }
    assert counts == {date(2026, 10, 1): 1, date(2026, 11, 1): 2, date(2026, 12, 1): 1}


def test_the_monthly_job_on_new_years_night_makes_decembers_bulletins(org):
    # Beat fires at 08:00 local on the 1st; a catch-up run at 00:30 local is the same month.
    with time_machine.travel(local(2027, 1, 1, 0, 30), tick=False):
        assert services.generate_monthly() >= 1
    assert set(Bulletin.objects.values_list("month", flat=True)) == {date(2026, 12, 1)}
