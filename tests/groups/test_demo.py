"""The demo's group assessment: the showcase branch's groups have the last closed quarter
published (the demo member, a group leader, sees it), made through the services."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from groups.models import GroupAssessment
from groups.quarters import Quarter
from tests.clock import local

pytestmark = pytest.mark.smoke

#: The demo is built "now"; built here on a fixed day in a quarter's last month.
TODAY = local(2026, 12, 14, 10)


@pytest.fixture
def seeded(db):
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", branches=60, stdout=StringIO())


def test_the_showcase_branch_has_last_quarter_published_and_this_one_drafted(seeded):
    closed, current = Quarter(2026, 3), Quarter(2026, 4)
    published = GroupAssessment.objects.filter(year=closed.year, quarter=closed.number)
    assert published.exists() and {a.status for a in published} == {"submitted"}
    assert {a.branch.code for a in published} == {published[0].branch.code}  # one branch
    drafts = GroupAssessment.objects.filter(year=current.year, quarter=current.number)
    assert {a.status for a in drafts} == {"draft"}
    assert all(0 < a.total <= a.max_total for a in published)
