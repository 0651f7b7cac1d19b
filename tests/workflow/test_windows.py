"""workflow.windows: the one end of a local day and the one answer to "is this window open"."""

import datetime
from datetime import UTC

import pytest
import time_machine

from workflow.transitions import TransitionError
from workflow.windows import Window, end_of_local_day, local_today, start_of_local_day

from ..clock import local

pytestmark = pytest.mark.smoke

D = datetime.date
SECOND = datetime.timedelta(seconds=1)


class Refused(TransitionError):
    """Stands for an app's domain error."""


# --- the end of a local day -------------------------------------------------------------


def test_the_end_of_a_day_is_the_next_local_midnight():
    end = end_of_local_day(D(2027, 1, 10))
    assert end == local(2027, 1, 11, 0, 0, 0)
    assert end == datetime.datetime(2027, 1, 10, 16, 0, tzinfo=UTC)  # still the 10th in UTC
    assert end.utcoffset() == datetime.timedelta(hours=8)


def test_the_end_of_the_year_is_midnight_on_1_january():
    assert end_of_local_day(D(2027, 12, 31)) == local(2028, 1, 1, 0, 0, 0)
    assert end_of_local_day(D(2028, 2, 28)) == local(2028, 2, 29)  # a leap year


def test_a_local_day_is_24_hours_long_in_shanghai_all_year():
    # No daylight saving time: every day from 1 January to 31 December is 24 hours.
    day = D(2027, 1, 1)
    while day.year == 2027:
        assert end_of_local_day(day) - start_of_local_day(day) == datetime.timedelta(hours=24)
        day += datetime.timedelta(days=1)


def test_the_end_of_a_day_follows_the_portals_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert end_of_local_day(D(2027, 1, 10)) == datetime.datetime(2027, 1, 11, tzinfo=UTC)


def test_local_today_is_the_shanghai_date():
    assert local_today(datetime.datetime(2027, 12, 31, 15, 59, 59, tzinfo=UTC)) == D(2027, 12, 31)
    assert local_today(datetime.datetime(2027, 12, 31, 16, 0, 0, tzinfo=UTC)) == D(2028, 1, 1)
    with time_machine.travel(local(2028, 1, 1, 0, 30), tick=False):
        assert local_today() == D(2028, 1, 1)


# --- a window ---------------------------------------------------------------------------


def january() -> Window:
    return Window.on_dates(
        "test.january",
        opens_on=D(2027, 1, 1),
        closes_on=D(2027, 1, 10),
        before="尚未开始",
        after="已经截止",
    )


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (local(2026, 12, 31, 23, 59, 59), (False, "尚未开始")),
        (local(2027, 1, 1, 0, 0, 0), (True, "")),
        (local(2027, 1, 10, 23, 59, 59), (True, "")),
        (local(2027, 1, 11, 0, 0, 0) - datetime.timedelta(microseconds=1), (True, "")),
        (local(2027, 1, 11, 0, 0, 0), (False, "已经截止")),
        (datetime.datetime(2027, 1, 10, 16, 0, tzinfo=UTC), (False, "已经截止")),
    ],
)
def test_a_window_is_open_from_its_first_through_its_last_local_day(instant, expected):
    assert january().check(instant) == expected


def test_check_reads_the_clock_when_no_instant_is_given():
    with time_machine.travel(local(2027, 1, 10, 23, 59, 59), tick=False):
        assert january().check() == (True, "")
    with time_machine.travel(local(2027, 1, 11, 0, 0, 0), tick=False):
        assert january().check() == (False, "已经截止")


def test_a_window_closing_at_an_instant_is_open_until_just_before_it():
    closes = local(2027, 6, 1, 15, 30)
    vote = Window("test.vote", closes_at=closes, after="投票已截止")
    assert vote.check(closes - SECOND) == (True, "")
    assert vote.check(closes) == (False, "投票已截止")
    assert vote.deadline_label == "2027-06-01 15:30"


def test_a_held_window_is_shut_whatever_the_time_and_says_so_first():
    held = Window.on_dates(
        "test.held", opens_on=D(2027, 1, 1), closes_on=D(2027, 1, 10), before="尚未开始",
        after="已经截止", held="当前不在申报阶段",
    )  # fmt: skip
    for instant in (local(2026, 12, 31), local(2027, 1, 5), local(2027, 1, 11)):
        assert held.check(instant) == (False, "当前不在申报阶段")


def test_late_first_tells_the_passed_date_before_the_held_reason():
    summary = Window.on_dates(
        "test.summary", closes_on=D(2027, 1, 10), after="已经截止", held="当前不在培育管理阶段",
        late_first=True,
    )  # fmt: skip
    assert summary.check(local(2027, 1, 10, 23, 59, 59)) == (False, "当前不在培育管理阶段")
    assert summary.check(local(2027, 1, 11)) == (False, "已经截止")


def test_an_unbounded_window_is_open_for_good():
    assert Window("test.open").check(local(2099, 12, 31, 23, 59, 59)) == (True, "")
    assert not Window("test.open").has_closed(local(2099, 12, 31))


def test_has_opened_and_has_closed_ignore_the_held_reason():
    window = Window.on_dates(
        "test", opens_on=D(2027, 1, 1), closes_on=D(2027, 1, 10), before="b", after="a", held="h"
    )
    assert not window.has_opened(local(2026, 12, 31, 23, 59, 59))
    assert window.has_opened(local(2027, 1, 1))
    assert not window.has_closed(local(2027, 1, 10, 23, 59, 59))
    assert window.has_closed(local(2027, 1, 11))


def test_a_bound_without_its_reason_is_refused():
    # An empty reason would read as "open" to a caller that tests the reason.
    with pytest.raises(ValueError, match="after"):
        Window.on_dates("test", closes_on=D(2027, 1, 10))
    with pytest.raises(ValueError, match="before"):
        Window.on_dates("test", opens_on=D(2027, 1, 1))


def test_require_open_raises_the_apps_error_with_the_reason():
    january().require_open(Refused, local(2027, 1, 10, 23, 59, 59))  # open: nothing happens
    with pytest.raises(Refused, match="^已经截止$"):
        january().require_open(Refused, local(2027, 1, 11))
    with pytest.raises(Refused, match="^尚未开始$"):
        january().require_open(Refused, local(2026, 12, 31, 23, 59, 59))


def test_the_deadline_label_is_the_closing_date_not_the_midnight_after_it():
    assert january().closes_at == local(2027, 1, 11)
    assert january().deadline_label == "2027-01-10"
