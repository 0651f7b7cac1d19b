"""队伍管理好 from the branch's member assessments (issue #17 item 8): six-good v4 scores
党员日常管理 (dwgl-3) from the branch's published 双百 member results — coverage (published /
on the roster) and quality (qualified / published) weigh half each — read through the groups
selector as counts only, in a fixed number of queries whatever the number of branches."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from evaluation import online
from evaluation.models import Indicator, PeriodKind, TableVersion
from evaluation.selectors.tables import indicators_for
from groups import services
from groups.models import MemberTable
from groups.selectors.scoring import MemberFigures
from groups.services.assessment import field_name
from tests.clock import local
from tests.factories.branches import OrgUnitFactory
from tests.factories.ledger import MemberFactory

from .conftest import make_period

pytestmark = pytest.mark.django_db

JANUARY = (datetime.date(2027, 1, 1), datetime.date(2027, 1, 31))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(local(2026, 12, 20, 10), tick=False) as traveller:
        yield traveller


def run(maximum, **figures):
    item = SimpleNamespace(pk=1, max_points=Decimal(maximum), online_rule="members_assessment")
    facts = SimpleNamespace(members=MemberFigures(**figures))
    return online.RULES["members_assessment"].compute(facts, item)


def test_the_rule_weighs_coverage_and_quality_half_each():
    assert run(5).score == 0 and "没有已公布" in run(5).basis
    assert run(5, active=4, year=2026, assessed=4, qualified=4).score == Decimal(5)
    # 2 of 4 assessed (½ × ½) and 1 of the 2 qualified (½ × ½): half the points
    half = run(5, active=4, year=2026, assessed=2, qualified=1)
    assert half.score == Decimal("2.50")
    assert (
        "2026 年度" in half.basis and "已公布 2 人" in half.basis and "在册党员 4 人" in half.basis
    )
    # members who left since still count as assessed, never above full coverage
    assert run(5, active=1, year=2026, assessed=3, qualified=3).score == Decimal(5)


def six_good(number=None) -> TableVersion:
    versions = TableVersion.objects.filter(table__code="six-good", status="published")
    return versions.get(number=number) if number else versions.order_by("-number")[0]


def bound(version):
    items = Indicator.objects.filter(dimension__version=version).exclude(online_rule="")
    return dict(items.values_list("code", "online_rule"))


def test_six_good_v4_binds_member_management_and_keeps_the_other_rules():
    v3, v4 = six_good(3), six_good()
    assert v4.number == 4 and v4.based_on == v3
    assert bound(v4) == {**bound(v3), "dwgl-3": "members_assessment"}
    method = Indicator.objects.get(dimension__version=v4, code="dwgl-3").method
    assert method.startswith("线上评分")


def _published_double_hundred(actor, branch, points):
    """The branch's 2026 双百 published: each member scored `points[i]` on every earning item
    (capped at the item's maximum)."""
    period = services.open_period(
        actor=actor, branch=branch, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    for a, p in zip(period.assessments.order_by("pk"), points, strict=True):
        values = {}
        for s in a.scores.select_related("indicator"):
            kind = s.indicator.kind
            values[field_name(s.indicator_id)] = (
                False if kind == "veto" else min(Decimal(p), s.indicator.max_points)
            )
            if kind == "deduction":
                values[field_name(s.indicator_id)] = 0
        services.score_member(actor=actor, assessment_id=a.pk, values=values, done=True)
    services.publish_period(actor=actor, period_id=period.pk)
    return period


@pytest.fixture
def january(org):
    return make_period(
        org,
        version=six_good(),
        kind=PeriodKind.MONTHLY,
        starts=JANUARY[0],
        ends=JANUARY[1],
        name="2027年1月六好考评",
    )


def members_items(period):
    indicators = indicators_for(period.table_version_id, "")
    return [i for i in indicators if i.online_rule.startswith(online.MEMBERS_PREFIX)]


def test_a_branch_is_scored_from_last_year_s_published_results(org, clock, january):
    for n in range(4):
        MemberFactory(branch=org.a1, name=f"党员{n}")
    # three of the four scored: 20+20+10+5+5+25+15 = 100 and 8×5+5+5 = 50 (< 60 %)
    _published_double_hundred(org.users["secretary"], org.a1, ["30", "30", "30", "8"])
    clock.move_to(local(2027, 2, 2, 10))
    scored = online.scores(members_items(january), org.a1, january)
    result = next(iter(scored.values()))
    # coverage 4/4, quality 3/4: 5 × (½ + ⅜) = 4.375 → 4.38
    assert result.score == Decimal("4.38")
    assert "2026 年度" in result.basis and "合格（得分率 60% 及以上）3 人" in result.basis
    nothing = online.scores(members_items(january), org.a2, january)
    assert [r.score for r in nothing.values()] == [0]


@pytest.mark.parametrize("count", [2, 10])
def test_two_or_ten_branches_cost_the_same_queries(org, january, count, django_assert_num_queries):
    units = [OrgUnitFactory(parent=org.city_a) for _ in range(count)]
    for unit in units:
        MemberFactory(branch=unit)
        _published_double_hundred(org.users["admin"], unit, ["30"])
    items = members_items(january)
    with django_assert_num_queries(2):  # members on the rosters, published results
        scored = online.scores_of_units(items, units, january)
    assert {r.score for s in scored.values() for r in s.values()} == {Decimal(5)}
