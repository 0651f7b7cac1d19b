"""The online ledger scores of a whole province at once (`scores_of_units`, the batch path:
plain figures, equal ones shared, the basis formatted when read) are those of each branch
scored alone (`scores`, the one-unit path an assessment's form takes): same scores, same
basis text, same records behind them."""

import datetime

import pytest
import time_machine
from django.utils import translation

from branches.models import BranchCategory
from evaluation import online
from evaluation.models import PeriodKind, TableVersion
from evaluation.selectors.tables import indicators_for
from ledger.selectors.compliance import branches_in
from tests.clock import local
from tests.factories import OrgUnitFactory
from tests.ledger.conftest import Roster
from tests.ledger.world import World

from .conftest import make_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(2026, 4, 2, 10), tick=False):
        yield


@pytest.fixture
def world(org):
    """The ledger world of tests/ledger/world.py, and a branch B2 that keeps no ledger, as A2."""
    World(org, Roster(org))
    org.b2 = OrgUnitFactory(
        parent=org.city_b, name="乙市市场部党支部", code="B2", category=BranchCategory.PRODUCTION
    )
    org.city_b.refresh_from_db()
    return org


@pytest.fixture
def period(org):
    version = TableVersion.objects.filter(table__code="star-5521", status="published").order_by(
        "-number"
    )[0]
    return make_period(
        org,
        version=version,
        kind=PeriodKind.QUARTERLY,
        starts=datetime.date(2026, 1, 1),
        ends=datetime.date(2026, 3, 31),
        name="2026年第一季度星级考评",
    )


@pytest.fixture
def indicators(period, org):
    category = period.assessments.get(unit=org.a1).category
    ruled = [
        i
        for i in indicators_for(period.table_version_id, category)
        if i.online_rule.startswith(online.LEDGER_PREFIX)
    ]
    assert len(ruled) >= 5  # the shipped 5521 binds ledger rules to its items
    return ruled


def plain(results: dict) -> dict:
    """{indicator id: (score, basis, records)}: every output an assessment stores or shows."""
    return {pk: (r.score, r.basis, r.records) for pk, r in results.items()}


def test_the_province_at_once_scores_each_branch_as_alone(world, period, indicators):
    branches = list(branches_in(world.province))
    assert {world.a1, world.a2, world.b1, world.b2} <= set(branches)
    alone = {b.pk: plain(online.scores(indicators, b, period)) for b in branches}
    batch = online.scores_of_units(indicators, branches, period, within=world.province)
    assert {pk: plain(results) for pk, results in batch.items()} == alone
    # the world's figures show up: A1's basis names its meetings' dates and links them
    a1 = batch[world.a1.pk]
    assert any("1月8日" in r.basis for r in a1.values())
    assert any(r.records for r in a1.values())


def test_without_dates_equal_figures_score_alike_and_as_alone(world, period, indicators):
    """Without the dates the batch shares the results of equal figures (A2 and B2 keep no
    ledger): each branch still gets what it gets scored alone, in a dict of its own."""
    branches = list(branches_in(world.province))
    batch = online.scores_of_units(
        indicators, branches, period, with_dates=False, within=world.province
    )
    for branch in branches:
        alone = online.scores_of_units(indicators, [branch], period, with_dates=False)
        assert plain(batch[branch.pk]) == plain(alone[branch.pk])
    assert plain(batch[world.a2.pk]) == plain(batch[world.b2.pk])
    assert batch[world.a2.pk] is not batch[world.b2.pk]
    dated = online.scores_of_units(indicators, branches, period, within=world.province)
    assert {pk: {i: r.score for i, r in s.items()} for pk, s in batch.items()} == {
        pk: {i: r.score for i, r in s.items()} for pk, s in dated.items()
    }
    assert batch[world.a1.pk] != dated[world.a1.pk]  # the basis without the dates


def test_a_basis_read_later_keeps_the_language_it_was_scored_in(world, period, indicators):
    branches = [world.a1, world.a2]
    with translation.override("en"):
        eager = {
            pk: plain(s) for pk, s in online.scores_of_units(indicators, branches, period).items()
        }
        lazy = online.scores_of_units(indicators, branches, period)
    assert translation.get_language() == "zh-hans"
    assert {pk: plain(s) for pk, s in lazy.items()} == eager  # read now, outside the override
    assert any("Scored by the portal" in basis for _s, basis, _r in eager[world.a1.pk].values())
    chinese = online.scores_of_units(indicators, branches, period)
    assert all("系统评分" in r.basis for r in chinese[world.a1.pk].values())
