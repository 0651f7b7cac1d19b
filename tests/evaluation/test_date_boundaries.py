"""An assessment period's window at its boundary instants (Asia/Shanghai): a self-assessment may
be saved until 23:59:59 local on the closing date and not from 00:00:00 the next day, although
that instant is still the closing date in UTC; the scheduled job announces the closed window
from that same instant on."""

from datetime import UTC, datetime

import pytest
import time_machine

from evaluation import services
from evaluation.models import Assessment
from evaluation.services import periods as period_services
from evaluation.services.assessments import EvaluationError
from workflow import jobs
from workflow.models import Notification

from ..clock import local
from .conftest import star_version

pytestmark = pytest.mark.smoke

# January 2027's window: open from the 1st to the 10th (inclusive, local dates).
CLOSES = (2027, 1, 10)


@pytest.fixture
def january(org):
    with time_machine.travel(local(2027, 1, 5, 10), tick=False):
        period = period_services.create_period(
            actor=org.users["province_reviewer"],
            data={
                "name": "2027年1月考评",
                "kind": "monthly",
                "table_version": star_version(),
                "scope": org.province,
                "starts_on": local(2027, 1, 1).date(),
                "ends_on": local(2027, 1, 31).date(),
                "opens_on": local(2027, 1, 1).date(),
                "closes_on": local(*CLOSES).date(),
                "is_aggregate": False,
            },
        )
    return Assessment.objects.get(period=period, unit=org.a1)


def save(org, assessment):
    return services.assessments.save_draft(
        actor=org.users["secretary"], pk=assessment.pk, entries={}
    )


@pytest.mark.parametrize(
    "instant",
    [
        local(2027, 1, 1, 0, 0, 0),  # the opening date's first second
        local(*CLOSES, 23, 59, 59),  # the closing date's last second
    ],
)
def test_saving_inside_the_window(org, january, instant):
    with time_machine.travel(instant, tick=False):
        assert save(org, january).status == "draft"


@pytest.mark.parametrize(
    ("instant", "message"),
    [
        (local(2026, 12, 31, 23, 59, 59), "开始填报"),  # before the opening date
        (local(2027, 1, 11, 0, 0, 0), "截止填报"),  # the day after closing, local midnight
    ],
)
def test_saving_outside_the_window_is_refused(org, january, instant, message):
    with time_machine.travel(instant, tick=False), pytest.raises(EvaluationError, match=message):
        save(org, january)


def test_the_utc_instant_before_local_midnight_is_still_open(org, january):
    # 16:00 UTC on the 10th is already 00:00 on the 11th in Shanghai: closed, whatever UTC says.
    with time_machine.travel(datetime(2027, 1, 10, 15, 59, 59, tzinfo=UTC), tick=False):
        assert save(org, january).status == "draft"
    with (
        time_machine.travel(datetime(2027, 1, 10, 16, 0, 0, tzinfo=UTC), tick=False),
        pytest.raises(EvaluationError, match="截止填报"),
    ):
        save(org, january)


def test_the_closed_window_is_announced_from_local_midnight_on(org, january):
    secretary = org.users["secretary"]
    assert jobs.close_windows(local(*CLOSES, 23, 59, 59)) == 0
    assert not Notification.objects.filter(recipient=secretary).exists()
    assert jobs.close_windows(local(2027, 1, 11, 0, 0, 0)) >= 1
    assert Notification.objects.filter(recipient=secretary, title__contains="填报已截止").exists()
