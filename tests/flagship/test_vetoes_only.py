"""`latest_results_for(vetoes_only=True)`, what the 工作台's "you may apply" hint reads without a
standing share: the same vetoes as the full read, with the acceptance scores read only where
one could lift a five-force veto (none: one query)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flagship.eligibility import eligible_unit_ids
from flagship.selectors.results import latest_results_for

from .conftest import new_cycle, publish_result
from .test_acceptance_standing import accepted

pytestmark = pytest.mark.django_db

LAST_YEAR = datetime.date(2025, 12, 31)


def _vetoes(ids, **kwargs):
    return {pk: r.is_vetoed for pk, r in latest_results_for(ids, **kwargs).items()}


def test_the_same_vetoes_as_the_full_read(org):
    # A1: a five-force veto lifted by a later acceptance; A2: the same veto, no acceptance;
    # B1: a six-good veto with a later acceptance (it stands).
    for unit in (org.a1, org.a2):
        publish_result(unit, "brand-five-forces", 80, vetoed=True, ends=LAST_YEAR)
    publish_result(org.b1, "six-good", 90, vetoed=True)
    accepted(org, org.a1, 9, org.users["city_reviewer"])
    accepted(org, org.b1, 9, org.rev_b)
    ids = [org.a1.pk, org.a2.pk, org.b1.pk]
    full = _vetoes(ids, ranked=False)
    assert full == {org.a1.pk: False, org.a2.pk: True, org.b1.pk: True}
    assert _vetoes(ids, vetoes_only=True) == full == _vetoes(ids)
    with CaptureQueriesContext(connection) as read:
        _vetoes(ids, vetoes_only=True)
    assert len(read) == 2  # the acceptance scores of A1 and A2 only


def test_no_five_force_veto_no_acceptance_query(org):
    publish_result(org.a1, "six-good", 92)
    publish_result(org.b1, "brand-five-forces", 80, vetoed=True, ends=LAST_YEAR)
    publish_result(org.b1, "six-good", 90, vetoed=True)
    accepted(org, org.a1, 9, org.users["city_reviewer"])
    ids = [org.a1.pk, org.b1.pk]
    with CaptureQueriesContext(connection) as read:
        vetoes = _vetoes(ids, vetoes_only=True)
    assert vetoes == _vetoes(ids, ranked=False) == {org.a1.pk: False, org.b1.pk: True}
    assert len(read) == 1


def test_eligibility_without_a_share_admits_a_lifted_veto(org):
    # both built by their acceptance; A1's five-force veto is outdated by it, B1's six-good
    # veto stands
    publish_result(org.a1, "brand-five-forces", 80, vetoed=True, ends=LAST_YEAR)
    publish_result(org.b1, "six-good", 90, vetoed=True)
    accepted(org, org.a1, 9, org.users["city_reviewer"])
    accepted(org, org.b1, 9, org.rev_b)
    cycle = new_cycle(org, standing_top_share=None)
    assert cycle.standing_top_share is None
    assert eligible_unit_ids([org.a1, org.b1], cycle=cycle) == {org.a1.pk}
