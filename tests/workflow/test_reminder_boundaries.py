"""Reminders "N days before" at their boundary instants: with offsets 7, 3 and 1 days, the
N-day reminder is due from exactly N days before the deadline on, and nothing is due once
the deadline has passed."""

from datetime import timedelta

import pytest

from workflow.jobs import due_offset

from ..clock import local

pytestmark = pytest.mark.smoke

# A deadline at the end of 31 December (local), as the services write it.
DUE = local(2027, 1, 1, 0, 0, 0)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _offsets(settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]


@pytest.mark.parametrize(
    ("before", "offset"),
    [
        (timedelta(days=7) + SECOND, None),  # further away than every offset
        (timedelta(days=7), 7),
        (timedelta(days=3) + SECOND, 7),
        (timedelta(days=3), 3),
        (timedelta(days=1) + SECOND, 3),
        (timedelta(days=1), 1),
        (SECOND, 1),  # 23:59:59 on the last day
        (timedelta(0), None),  # the deadline itself: too late to remind
        (-SECOND, None),
    ],
)
def test_each_offset_is_due_from_its_exact_instant(before, offset):
    assert due_offset(DUE - before, DUE) == offset
