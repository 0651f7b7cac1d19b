"""The cycle's timeline shows instants in Shanghai time, not in the UTC they are stored in."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from flagship.models import FlagshipCycle
from flagship.selectors.cycles import phase_steps

pytestmark = pytest.mark.smoke

UTC = datetime.UTC
#: 01:06 on 12 December in Shanghai, still 11 December in UTC.
CLOSES = datetime.datetime(2026, 12, 11, 17, 6, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def closing_across_midnight(open_cycle):
    FlagshipCycle.objects.filter(pk=open_cycle.pk).update(vote_closes_at=CLOSES)
    return FlagshipCycle.objects.get(pk=open_cycle.pk)


def test_the_vote_closing_time_is_shown_in_shanghai_time(closing_across_midnight):
    voting = next(s for s in phase_steps(closing_across_midnight) if s.phase == "voting")
    assert voting.dates == "~ 2026-12-12 01:06"


def test_the_cycle_page_prints_the_local_closing_time(client, org, closing_across_midnight):
    client.force_login(org.users["member"])
    body = client.get(reverse("flagship:cycle", args=[closing_across_midnight.pk])).content
    assert "2026-12-12 01:06" in body.decode()
    assert "2026-12-11 17:06" not in body.decode()
