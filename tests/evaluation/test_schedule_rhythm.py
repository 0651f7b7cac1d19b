"""`evaluation.rhythm.due`, the one rule saying which periods a schedule has brought due, at
every boundary: the last second before and the first second of a local day (through
`local_today`, as beat asks it), month, quarter and year ends, 29 February, short months."""

from datetime import date

import pytest

from evaluation.rhythm import ANNUAL, MONTHLY, QUARTERLY, Due, Rhythm, due, month_period
from tests.clock import local
from workflow.windows import local_today

pytestmark = pytest.mark.smoke

R = Rhythm(first_month=date(2028, 1, 1), open_day=1, close_day=10)


def kinds(rhythm, today):
    return [(p.kind, p.starts_on) for p in due(rhythm, today)]


def test_a_month_is_due_from_the_first_second_of_its_opening_day():
    before, at = local(2027, 12, 31, 23, 59, 59), local(2028, 1, 1, 0, 0, 0)
    assert due(R, local_today(before)) == []
    assert kinds(R, local_today(at)) == [(MONTHLY, date(2028, 1, 1))]


def test_the_utc_evening_before_is_already_the_local_day():
    """16:00 UTC on 31 December is 00:00 on 1 January in Shanghai."""
    from datetime import UTC, datetime

    assert kinds(R, local_today(datetime(2027, 12, 31, 16, 0, tzinfo=UTC))) == [
        (MONTHLY, date(2028, 1, 1))
    ]
    assert due(R, local_today(datetime(2027, 12, 31, 15, 59, 59, tzinfo=UTC))) == []


def test_a_month_window_opens_in_its_month_and_closes_in_the_next():
    assert month_period(date(2028, 1, 1), R) == Due(
        MONTHLY, date(2028, 1, 1), date(2028, 1, 31), date(2028, 1, 1), date(2028, 2, 10)
    )


@pytest.mark.parametrize(
    ("month", "open_day", "close_day", "opens", "closes"),
    [
        (date(2028, 1, 1), 31, 31, date(2028, 1, 31), date(2028, 2, 29)),  # leap February
        (date(2027, 1, 1), 31, 31, date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 2, 1), 30, 31, date(2028, 2, 29), date(2028, 3, 31)),  # 30 → 29 Feb
        (date(2028, 3, 1), 31, 31, date(2028, 3, 31), date(2028, 4, 30)),  # April has 30
        (date(2028, 12, 1), 1, 10, date(2028, 12, 1), date(2029, 1, 10)),  # across the year
    ],
)
def test_days_past_a_months_end_fall_on_its_last_day(month, open_day, close_day, opens, closes):
    p = month_period(month, Rhythm(first_month=month, open_day=open_day, close_day=close_day))
    assert (p.opens_on, p.closes_on) == (opens, closes)
    assert p.starts_on == month and p.ends_on.month == month.month
    assert p.ends_on.day in (28, 29, 30, 31) and (p.ends_on.day == 29) == (
        month == date(2028, 2, 1)
    )


def test_29_february_opens_that_day_and_not_before():
    r = Rhythm(first_month=date(2028, 2, 1), open_day=29, quarterly=False, annual=False)
    assert due(r, date(2028, 2, 28)) == []
    assert kinds(r, date(2028, 2, 29)) == [(MONTHLY, date(2028, 2, 1))]
    r2027 = Rhythm(first_month=date(2027, 2, 1), open_day=29, quarterly=False, annual=False)
    assert kinds(r2027, date(2027, 2, 28)) == [(MONTHLY, date(2027, 2, 1))]


def test_a_quarter_is_due_the_day_after_it_ends():
    last, first = local(2028, 3, 31, 23, 59, 59), local(2028, 4, 1, 0, 0, 0)
    assert (QUARTERLY, date(2028, 1, 1)) not in kinds(R, local_today(last))
    at = kinds(R, local_today(first))
    assert at[-2:] == [(QUARTERLY, date(2028, 1, 1)), (MONTHLY, date(2028, 4, 1))]


def test_a_year_is_due_on_new_years_day_after_its_fourth_quarter():
    last, first = local(2028, 12, 31, 23, 59, 59), local(2029, 1, 1, 0, 0, 0)
    assert ANNUAL not in {k for k, _s in kinds(R, local_today(last))}
    at = kinds(R, local_today(first))
    assert at[-3:] == [(QUARTERLY, date(2028, 10, 1)), (ANNUAL, date(2028, 1, 1))] + [
        (MONTHLY, date(2029, 1, 1))
    ]
    assert len(at) == 12 + 4 + 1 + 1


def test_a_whole_year_brings_twelve_months_four_quarters_and_a_year():
    got = due(R, date(2029, 1, 1))
    assert [p.kind for p in got].count(MONTHLY) == 13  # January 2029 has opened too
    assert [p.starts_on for p in got if p.kind == QUARTERLY] == [
        date(2028, 1, 1),
        date(2028, 4, 1),
        date(2028, 7, 1),
        date(2028, 10, 1),
    ]
    (year,) = [p for p in got if p.kind == ANNUAL]
    assert (year.starts_on, year.ends_on) == (date(2028, 1, 1), date(2028, 12, 31))


def test_a_schedule_starting_mid_quarter_skips_that_quarter_and_year():
    """January was never assessed: Q1 and the year cannot average over months that were not."""
    r = Rhythm(first_month=date(2028, 2, 1))
    got = kinds(r, date(2029, 1, 2))
    assert (QUARTERLY, date(2028, 1, 1)) not in got
    assert (QUARTERLY, date(2028, 4, 1)) in got
    assert ANNUAL not in {k for k, _s in got}
    assert (ANNUAL, date(2029, 1, 1)) in kinds(r, date(2030, 1, 1))


def test_aggregates_switched_off_are_never_due():
    r = Rhythm(first_month=date(2028, 1, 1), quarterly=False, annual=False)
    assert {k for k, _s in kinds(r, date(2030, 1, 1))} == {MONTHLY}
    r = Rhythm(first_month=date(2028, 1, 1), quarterly=True, annual=False)
    assert {k for k, _s in kinds(r, date(2030, 1, 1))} == {MONTHLY, QUARTERLY}


def test_a_later_opening_day_shifts_the_month_not_the_quarter():
    r = Rhythm(first_month=date(2028, 1, 1), open_day=5, close_day=10)
    assert kinds(r, date(2028, 4, 4))[-1] == (QUARTERLY, date(2028, 1, 1))
    assert kinds(r, date(2028, 4, 5))[-1] == (MONTHLY, date(2028, 4, 1))
