"""Flagship's five-force standing reads the brands' acceptance scores (验收评审 is scored on the
five-force table, #18 item 3) through `brands.selectors.acceptance`: the more recent of a
published five-force result and the acceptance score stands."""

import datetime
from decimal import Decimal

import pytest

from brands.acceptance import score_acceptance
from brands.models import Status
from flagship.eligibility import check_eligibility, eligible_unit_ids
from flagship.selectors.results import latest_results
from tests.brands.test_acceptance import five_force_scores
from tests.factories.brands import BrandApplicationFactory

from .conftest import publish_result, secretary_of

pytestmark = pytest.mark.django_db


def accepted(org, unit, each, reviewer):
    app = BrandApplicationFactory(
        unit=unit, applicant=secretary_of(org, unit), status=Status.ACCEPTANCE
    )
    score_acceptance(actor=reviewer, pk=app.pk, scores=five_force_scores(each))
    return app


@pytest.fixture
def scored(org):
    """A1 built at 95 %, B1 at 70 % (no five-force period ever run); both lead six-good."""
    accepted(org, org.a1, "9.5", org.users["city_reviewer"])
    accepted(org, org.b1, 7, org.rev_b)
    for unit in (org.a1, org.b1):
        publish_result(unit, "six-good", 92)
    return org


def test_eligibility_reads_the_acceptance_score(scored, open_cycle_on):
    cycle = open_cycle_on(scored)
    a1, b1 = latest_results(scored.a1), latest_results(scored.b1)
    assert (a1.five_forces.rate, a1.five_forces.place, a1.five_forces.of) == (Decimal(95), 1, 2)
    assert (b1.five_forces.rate, b1.five_forces.place) == (Decimal(70), 2)
    assert "品牌验收评审" in b1.five_forces.period
    assert check_eligibility(scored.a1, cycle=cycle).ok
    (reason,) = check_eligibility(scored.b1, cycle=cycle).reasons
    assert "品牌五力" in reason and "位列第 2 名（共 2 个单位）" in reason
    assert eligible_unit_ids([scored.a1, scored.b1], cycle=cycle) == {scored.a1.pk}


def test_a_later_published_period_outranks_an_earlier_acceptance(scored, open_cycle_on):
    later = datetime.date.today() + datetime.timedelta(days=400)
    publish_result(scored.b1, "brand-five-forces", 99, ends=later.replace(day=1))
    five = latest_results(scored.b1).five_forces
    assert five.rate == Decimal(99) and "品牌验收评审" not in five.period


@pytest.fixture
def open_cycle_on():
    from .conftest import new_cycle

    return lambda org: new_cycle(org)
