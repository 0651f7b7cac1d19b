"""The demo below the branch: the showcase branch's groups have the last closed quarter
published (the demo member, a group leader, sees it), two pioneer posts, three 五个一 items
(one selected) and a theme day with two group activities attached, made through the services."""

from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from groups.models import GroupAssessment, InnovationItem, PioneerPost
from groups.quarters import Quarter
from ledger.models import MeetingRecord
from tests.clock import local
from workflow.models import AuditEntry

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


def _audited(objects) -> bool:
    ids = {o.pk for o in objects}
    model = type(next(iter(objects)))
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    )
    return set(entries.values_list("object_id", flat=True)) == ids


def test_the_showcase_branch_has_posts_items_and_a_theme_day_made_through_the_services(seeded):
    branch = GroupAssessment.objects.values_list("branch", flat=True).first()
    posts = list(PioneerPost.objects.filter(branch=branch))
    assert len(posts) == 2 and {p.status for p in posts} == {"active"}
    assert {p.kind for p in posts} == {"post", "zone"}
    assert all(p.term_start <= TODAY.date() <= p.term_end for p in posts)  # this half year
    items = list(InnovationItem.objects.filter(branch=branch, year=TODAY.year))
    assert len(items) == 3
    selected = [i for i in items if i.status == "selected"]
    assert len(selected) == 1 and selected[0].reviewed_in.branch_id == branch
    assert {i.status for i in items} - {"selected"} == {"filed"}
    activities = list(MeetingRecord.objects.filter(theme_day__isnull=False))
    assert len(activities) == 2
    theme_day = activities[0].theme_day
    assert {a.theme_day_id for a in activities} == {theme_day.pk}
    assert theme_day.branch_id == branch and theme_day.template.kind == "theme_day"
    assert len({a.party_group_id for a in activities}) == 2
    assert all(a.branch_id == branch for a in activities)
    assert theme_day.held_at < TODAY.replace(day=1)  # a closed month
    for objects in (posts, items, activities):
        assert _audited(objects)


def test_the_showcase_branch_has_last_year_s_member_results_published(seeded):
    """党员考评: last year's 双百 and post KPI published (each member scored, some coefficients
    set), this year's 双百 open; the demo member reads their own results on 我的."""
    from groups.models import MemberAssessment, MemberPeriod

    last = MemberPeriod.objects.filter(year=TODAY.year - 1)
    assert {(p.table, p.status) for p in last} == {
        ("double_hundred", "published"),
        ("post_kpi", "published"),
    }
    assert MemberPeriod.objects.get(year=TODAY.year).status == "open"
    kpi = MemberAssessment.objects.filter(period__table="post_kpi")
    assert all(a.scored and a.result == (a.total * a.coefficient).quantize(a.total) for a in kpi)
    assert {str(c) for c in kpi.values_list("coefficient", flat=True)} >= {"1.00", "1.20"}
    assert MemberAssessment.objects.filter(member__user__username="member").count() == 3
