"""党总支 flagship candidacies (issue #18, item 3): a general branch with a built brand stands
for the flagship honour like a branch, filed by its own secretary, reviewed from its parent
upward (`brands.rules.may_hold_brand` is the rule of both apps)."""

import pytest
from django.urls import reverse

from branches.models import Role
from flagship.eligibility import check_eligibility, eligible_unit_ids
from flagship.models import CandidacyStatus
from flagship.selectors.cycles import own_branch_units, own_branches
from flagship.services import candidacy as services
from tests.factories import UserFactory, grant
from workflow.transitions import TransitionError

from .conftest import build_brand


@pytest.fixture
def general(org, open_cycle):
    org.sec_ga = grant(UserFactory(username="sec_ga"), org.general_a, Role.SECRETARY)
    build_brand(org.general_a, org.sec_ga, name="网络先锋")
    return org


def test_general_branch_is_eligible_and_offered(general):
    assert check_eligibility(general.general_a).ok
    assert eligible_unit_ids([general.general_a]) == {general.general_a.pk}
    assert list(own_branches(general.sec_ga)) == [general.general_a]
    assert own_branch_units(general.sec_ga) == [general.general_a]
    committee = check_eligibility(general.city_a)
    assert committee.reasons == ["只有党支部或党总支可以申报旗舰品牌。"]


def test_general_branch_candidacy_climbs_from_its_parent(general, open_cycle):
    org = general
    c = services.save_candidacy_draft(actor=org.sec_ga, cycle=open_cycle, unit=org.general_a)
    c = services.submit_candidacy(actor=org.sec_ga, pk=c.pk)
    assert (c.status, c.current_level) == (CandidacyStatus.IN_REVIEW, org.city_a)
    with pytest.raises(TransitionError):  # GA's reviewer is not on its own chain
        services.approve_candidacy(actor=org.users["general_branch_reviewer"], pk=c.pk)
    c = services.approve_candidacy(actor=org.users["city_reviewer"], pk=c.pk)
    c = services.approve_candidacy(actor=org.users["province_reviewer"], pk=c.pk)
    assert c.status == CandidacyStatus.ACCEPTED


def test_apply_page_matrix(client, general, open_cycle):
    url = reverse("flagship:apply", args=[open_cycle.pk, general.general_a.pk])
    for user, want in (
        (general.sec_ga, 200),
        (general.users["secretary"], 403),  # A1's secretary sits below GA
        (general.users["general_branch_reviewer"], 403),
        (general.users["city_reviewer"], 403),
        (general.sec_b1, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == want, user


def test_own_branch_units_are_own_branches_without_a_query(general, django_assert_num_queries):
    """The 工作台 reads the secretary's branches from the role assignments already loaded:
    the same units as `own_branches`, in tree order; a committee role is not one of them."""
    user = general.sec_ga
    grant(user, general.a2, Role.SECRETARY)
    grant(user, general.a1, Role.SECRETARY)
    grant(user, general.city_a, Role.SECRETARY)
    user.__dict__.pop("role_assignments", None)
    _ = user.role_assignments  # loaded once per request
    with django_assert_num_queries(0):
        units = own_branch_units(user)
    assert units == list(own_branches(user))
    assert [u.pk for u in units] == [general.general_a.pk, general.a1.pk, general.a2.pk]
