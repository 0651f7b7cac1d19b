"""The level-by-level approval that brand applications and flagship candidacies share."""

from types import SimpleNamespace

import pytest

from branches.selectors import approval_chain
from brands.models import BrandApplication, Status
from flagship.models import Candidacy, CandidacyStatus
from workflow.models import ChainReviewed
from workflow.transitions import TransitionError, climb_chain, enter_chain


def at(level):
    return SimpleNamespace(current_level=level, current_level_id=level and level.pk)


def test_approval_climbs_the_chain_level_by_level_then_leaves_it(org):
    chain = approval_chain(org.a1)  # general branch → city → province
    assert [u.code for u in chain] == ["GA", "A", "P"]
    obj = at(org.general_a)
    assert climb_chain(obj, chain) is False and obj.current_level == org.city_a
    obj.current_level_id = obj.current_level.pk
    assert climb_chain(obj, chain) is False and obj.current_level == org.province
    obj.current_level_id = obj.current_level.pk
    assert climb_chain(obj, chain) is True and obj.current_level is None


def test_a_level_no_longer_in_the_chain_starts_it_again_from_the_first(org):
    obj = at(org.city_b)  # A2 was moved from city B to city A while in review
    assert climb_chain(obj, approval_chain(org.a2)) is False
    assert obj.current_level == org.city_a  # its chain is city A → province


def test_a_unit_with_no_reviewing_level_above_cannot_submit(org):
    with pytest.raises(TransitionError, match="未找到该支部的上级审核组织"):
        enter_chain(at(None), approval_chain(org.province), snapshot={}, actor=None)


@pytest.mark.parametrize(
    "model, states",
    [(BrandApplication, Status), (Candidacy, CandidacyStatus)],
    ids=["brand", "candidacy"],
)
def test_both_chain_reviewed_models_take_their_review_fields_from_one_declaration(
    org, model, states
):
    assert issubclass(model, ChainReviewed)
    obj = model(status=states.IN_REVIEW, current_level=org.general_a)
    assert obj.level_in_review == org.general_a
    obj.status = states.RETURNED  # the level stays set for the resubmission, not "in review"
    assert obj.level_in_review is None and obj.current_level == org.general_a
