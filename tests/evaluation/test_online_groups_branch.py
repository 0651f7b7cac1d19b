"""Online scores from what a branch's members do (issue #17 item 8): six-good v3 scores its
作用发挥好 items from the groups app — 党员先锋模范作用 (zyfh-2) from pioneer posts and their
reviews, 党建与生产经营融合 (zyfh-1) from 五个一 items — read through the groups selector in a
fixed number of queries, whatever the number of branches."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from evaluation import online
from evaluation.models import Indicator, PeriodKind, TableVersion
from evaluation.selectors.tables import indicators_for
from groups.models import InnovationItem, InnovationStatus, PostReview, PostStatus
from groups.selectors.scoring import BranchFigures
from tests.clock import local
from tests.factories.branches import OrgUnitFactory, UserFactory
from tests.factories.groups import PioneerPostFactory
from tests.factories.ledger import MemberFactory

from .conftest import make_period

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 2, 10), tick=False):
        yield


def run(code, maximum, **figures):
    item = SimpleNamespace(pk=1, max_points=Decimal(maximum), online_rule=code)
    return online.RULES[code].compute(SimpleNamespace(groups=BranchFigures(**figures)), item)


# --- the rules: 0, partial, capped -------------------------------------------------------------


def test_posts_score_each_post_and_each_review_that_led_by_example_up_to_the_maximum():
    none = run("groups_posts", 6)
    assert none.score == 0 and "没有在岗的党员先锋岗" in none.basis
    partial = run("groups_posts", 6, posts_in_force=2, reviews=2, reviews_led=1)  # 2 + 2
    assert partial.score == Decimal(4)
    assert "在岗党员先锋岗（含责任区、先锋队）2 个" in partial.basis
    assert "半年评估 2 次，其中发挥先锋模范作用 1 次" in partial.basis
    assert run("groups_posts", 6, posts_in_force=3, reviews=2, reviews_led=2).score == 6  # 7
    # a review in the period of a post since withdrawn still counts
    assert run("groups_posts", 6, reviews=1, reviews_led=1).score == 2


def test_innovation_scores_filed_selected_and_recommended_items_up_to_the_maximum():
    none = run("groups_innovation", 8)
    assert none.score == 0 and "没有申报“五个一”项目" in none.basis
    partial = run("groups_innovation", 8, items_filed=3, items_selected=2, items_recommended=1)
    assert partial.score == Decimal(6)  # 3 + 2 + 1
    assert "申报 3 项，支部评选 2 项，其中向上推荐 1 项" in partial.basis
    capped = run("groups_innovation", 8, items_filed=5, items_selected=3, items_recommended=1)
    assert capped.score == 8  # 9


# --- the figures, read through the groups selector ---------------------------------------------


def _review(post, day, led):
    review = PostReview.objects.create(
        post=post,
        half="2025H2",
        department_opinion="好",
        committee_opinion="好",
        led_by_example=led,
        outcome="commend" if led else "renew",
        reviewed_by=post.created_by,
    )
    PostReview.objects.filter(pk=review.pk).update(created_at=local(*day, 10))


def _item(branch, day, status=InnovationStatus.FILED):
    member = MemberFactory(branch=branch)
    item = InnovationItem.objects.create(
        branch=branch,
        member=member,
        kind="suggestion",
        title="合理化建议",
        description="节能",
        year=day[0],
        status=status,
        filed_by=UserFactory(),
    )
    InnovationItem.objects.filter(pk=item.pk).update(filed_at=local(*day, 10))


@pytest.fixture
def members_work(org):
    """A1: two posts in force in Q1 (one reviewed in it, led by example), one that ended before
    it, one withdrawn; three 五个一 items in Q1 (one selected, one recommended), one in April.
    B1: one post. A2: nothing."""
    post = PioneerPostFactory(branch=org.a1, term_start=datetime.date(2025, 7, 1))
    PioneerPostFactory(branch=org.a1, term_start=datetime.date(2026, 3, 31))
    PioneerPostFactory(
        branch=org.a1, term_end=datetime.date(2025, 12, 31), term_start=Q1[0].replace(year=2025)
    )
    PioneerPostFactory(branch=org.a1, status=PostStatus.WITHDRAWN)
    _review(post, (2026, 1, 10), led=True)
    _review(PioneerPostFactory(branch=org.b1), (2026, 2, 10), led=False)
    _review(
        PioneerPostFactory(branch=org.a1, term_start=datetime.date(2025, 1, 1)),
        (2025, 12, 20),
        led=True,
    )
    _item(org.a1, (2026, 1, 5))
    _item(org.a1, (2026, 2, 5), InnovationStatus.SELECTED)
    _item(org.a1, (2026, 3, 31), InnovationStatus.RECOMMENDED)
    _item(org.a1, (2026, 4, 1), InnovationStatus.RECOMMENDED)  # after the quarter


def six_good(number=None) -> TableVersion:
    versions = TableVersion.objects.filter(table__code="six-good", status="published")
    return versions.get(number=number) if number else versions.order_by("-number")[0]


@pytest.fixture
def q1(org):
    return make_period(
        org,
        version=six_good(),
        kind=PeriodKind.QUARTERLY,
        starts=Q1[0],
        ends=Q1[1],
        name="2026年第一季度六好考评",
    )


def groups_items(period):
    indicators = indicators_for(period.table_version_id, "")
    return [i for i in indicators if i.online_rule.startswith(online.GROUPS_PREFIX)]


def test_a_branch_is_scored_from_its_posts_and_items_in_the_period(org, members_work, q1):
    scored = online.scores(groups_items(q1), org.a1, q1)
    by_code = {i.code: scored[i.pk] for i in groups_items(q1)}
    # posts: the two in force (3rd ended in 2025, 4th withdrawn; the 2025 review is outside)
    # + 2 for the review that led by example; the B1 post counts for B1 only
    assert by_code["zyfh-2"].score == Decimal(5)
    assert "在岗党员先锋岗（含责任区、先锋队）3 个" in by_code["zyfh-2"].basis
    # items: 3 filed in Q1 + 2 selected (recommended included) + 1 recommended
    assert by_code["zyfh-1"].score == Decimal(6)


def test_a_branch_with_no_posts_scores_nothing_and_says_so(org, members_work, q1):
    scored = online.scores(groups_items(q1), org.a2, q1)
    bases = sorted(r.basis for r in scored.values())
    assert [r.score for r in scored.values()] == [0, 0]
    assert any("本期没有在岗的党员先锋岗、责任区或先锋队" in b for b in bases)


def test_the_batch_is_each_branch_alone_in_the_same_queries(
    org, members_work, q1, django_assert_num_queries
):
    items = groups_items(q1)
    units = [org.a1, org.a2, org.b1, org.city_a]
    alone = {u.pk: online.scores(items, u, q1) for u in units}
    with django_assert_num_queries(3):  # posts, reviews, 五个一
        together = online.scores_of_units(items, units, q1)
    assert together == alone
    assert together[org.b1.pk] != together[org.a2.pk]
    with django_assert_num_queries(3):  # a committee's batch: the branches under it
        under_a = online.scores_of_units(items, [org.a1, org.a2], q1, within=org.city_a)
    assert under_a == {u.pk: alone[u.pk] for u in (org.a1, org.a2)}


@pytest.mark.parametrize("count", [2, 10])
def test_two_or_ten_branches_cost_the_same_queries(org, q1, count, django_assert_num_queries):
    units = [OrgUnitFactory(parent=org.city_a) for _ in range(count)]
    for unit in units:
        _review(PioneerPostFactory(branch=unit), (2026, 2, 1), led=True)
        _item(unit, (2026, 2, 1), InnovationStatus.SELECTED)
    items = groups_items(q1)
    with django_assert_num_queries(3):
        scored = online.scores_of_units(items, units, q1)
    by_code = {i.pk: i.code for i in items}
    assert {(by_code[pk], r.score) for s in scored.values() for pk, r in s.items()} == {
        ("zyfh-2", Decimal(3)),  # a post in force, a review that led by example
        ("zyfh-1", Decimal(2)),  # an item filed and selected
    }


# --- the table: six-good v3 ---------------------------------------------------------------------


def bound(version):
    items = Indicator.objects.filter(dimension__version=version).exclude(online_rule="")
    return dict(items.values_list("code", "online_rule"))


def test_six_good_v3_binds_the_role_items_and_keeps_the_ledger_ones():
    v2, v3 = six_good(2), six_good(3)
    assert v3.number == 3 and v3.based_on == v2
    assert bound(v3) == {**bound(v2), "zyfh-1": "groups_innovation", "zyfh-2": "groups_posts"}
    assert "zyfh-2" not in bound(v2)
    method = Indicator.objects.get(dimension__version=v3, code="zyfh-2").method
    assert method.startswith("线上评分")


def test_the_fill_page_shows_the_item_as_scored_online(client, org, members_work, q1):
    a1 = q1.assessments.get(unit=org.a1)
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:fill", args=[a1.pk])).content.decode()
    zyfh2 = Indicator.objects.get(dimension__version=q1.table_version, code="zyfh-2").pk
    assert 'data-testid="online-zyfh-2"' in body and "线上评分" in body
    field = re.search(rf'<input[^>]*name="s{zyfh2}"[^>]*>', body).group(0)
    assert "disabled" in field and 'value="5.00"' in field


def test_the_basis_reads_in_the_language_of_the_batch(org, members_work, q1):
    """The counted basis is formatted when first read, in the batch's language."""
    from django.utils import translation

    with translation.override("en"):
        scored = online.scores(groups_items(q1), org.a1, q1)
        empty = online.scores(groups_items(q1), org.a2, q1)
    bases = {i.code: scored[i.pk].basis for i in groups_items(q1)}  # read outside the override
    assert bases["zyfh-2"].startswith(
        "Scored by the system (pioneer posts): 3 pioneer posts (zones and teams included)"
    )
    assert "filed 3 items in this period, the branch selected 2" in bases["zyfh-1"]
    assert any("no pioneer post" in r.basis for r in empty.values())
