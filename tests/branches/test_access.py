"""branches.access: who holds which role where. The tree (tests.factories.Org):

    province P ── city A ── general branch GA ── branch A1 ── group A1G1
              │         └── branch A2
              └── city B ── branch B1

Every predicate is asked for each role against its own subtree and a sibling one that could
leak, and for the roles that must never pass (administrator, committee member, plain member).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from branches import access
from branches.models import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.smoke

NEVER_APPROVE = ("secretary", "committee_member", "admin", "member")


def usernames(users):
    return sorted(u.username for u in users)


# --- secretary_covers ----------------------------------------------------------------------


def test_secretary_covers_their_branch_and_its_party_groups(org):
    secretary = org.users["secretary"]
    assert access.secretary_covers(secretary, org.a1)
    assert access.secretary_covers(secretary, org.group_a1)


def test_secretary_never_covers_a_sibling_branch_or_the_units_above(org):
    secretary = org.users["secretary"]
    for unit in (org.a2, org.b1, org.general_a, org.city_a, org.province):
        assert not access.secretary_covers(secretary, unit), unit.code
    assert not access.secretary_covers(org.sec_b1, org.a1)
    assert access.secretary_covers(org.sec_b1, org.b1)


@pytest.mark.parametrize(
    "role", ["general_branch_reviewer", "city_reviewer", "province_reviewer", "admin", "member"]
)
def test_other_roles_above_a_branch_are_not_its_secretary(org, role):
    assert not access.secretary_covers(org.users[role], org.a1)


def test_secretary_covers_nothing_for_anonymous_users_or_without_a_unit(org):
    assert not access.secretary_covers(AnonymousUser(), org.a1)
    assert not access.secretary_covers(org.users["secretary"], None)


def test_secretaries_at_are_the_holders_at_the_unit_itself(org):
    assert usernames(access.secretaries_at(org.a1)) == ["sec_a1"]
    assert usernames(access.secretaries_at(org.b1)) == ["sec_b1"]
    assert access.secretaries_at(org.group_a1) == []  # the role at A1 is not *at* the group


# --- reviews_at_level ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "level, reviewer",
    [("general_a", "general_branch_reviewer"), ("city_a", "city_reviewer")],
)
def test_the_reviewer_at_the_current_level_decides(org, level, reviewer):
    assert access.reviews_at_level(org.users[reviewer], getattr(org, level))


def test_the_province_reviewer_decides_at_the_province(org):
    assert access.reviews_at_level(org.users["province_reviewer"], org.province)


def test_a_reviewer_above_the_current_level_does_not_decide(org):
    assert not access.reviews_at_level(org.users["city_reviewer"], org.general_a)
    assert not access.reviews_at_level(org.users["province_reviewer"], org.general_a)
    assert not access.reviews_at_level(org.users["province_reviewer"], org.city_a)


def test_a_reviewer_below_the_current_level_does_not_decide(org):
    assert not access.reviews_at_level(org.users["general_branch_reviewer"], org.city_a)
    assert not access.reviews_at_level(org.users["general_branch_reviewer"], org.province)
    assert not access.reviews_at_level(org.users["city_reviewer"], org.province)


def test_the_sibling_committees_reviewer_does_not_decide(org):
    assert not access.reviews_at_level(org.rev_b, org.city_a)
    assert access.reviews_at_level(org.rev_b, org.city_b)
    assert not access.reviews_at_level(org.users["city_reviewer"], org.city_b)


@pytest.mark.parametrize("role", NEVER_APPROVE)
def test_roles_other_than_reviewers_decide_at_no_level(org, role):
    for level in (org.general_a, org.city_a, org.province, org.a1):
        assert not access.reviews_at_level(org.users[role], level), level.code


def test_reviews_at_level_takes_a_unit_or_its_id_and_nothing_for_none(org):
    reviewer = org.users["city_reviewer"]
    assert access.reviews_at_level(reviewer, org.city_a.pk)
    assert not access.reviews_at_level(reviewer, org.city_b.pk)
    assert not access.reviews_at_level(reviewer, None)
    assert not access.reviews_at_level(AnonymousUser(), org.city_a)


def test_reviewers_at_a_level_are_exactly_those_who_decide_there(org):
    everyone = [*org.users.values(), org.sec_b1, org.rev_b]
    for level in (org.general_a, org.city_a, org.city_b, org.province, org.a1):
        expected = [u for u in everyone if access.reviews_at_level(u, level)]
        assert usernames(access.reviewers_at(level)) == usernames(expected), level.code
    assert usernames(access.reviewers_at(org.province)) == ["rev_p"]  # not admin, not jury


def test_review_levels_and_is_reviewer(org):
    assert access.review_levels(org.users["city_reviewer"]) == {org.city_a.pk}
    assert access.review_levels(org.users["admin"]) == set()
    for role in ("general_branch_reviewer", "city_reviewer", "province_reviewer"):
        assert access.is_reviewer(org.users[role]), role
    for role in NEVER_APPROVE:
        assert not access.is_reviewer(org.users[role]), role
    assert not access.is_reviewer(AnonymousUser())


def test_predicates_read_the_loaded_roles_without_queries(org, django_assert_num_queries):
    reviewer = org.users["city_reviewer"]
    list(reviewer.role_assignments)
    with django_assert_num_queries(0):
        access.reviews_at_level(reviewer, org.city_a)
        access.secretary_covers(reviewer, org.a1)
        access.reviewer_covers(reviewer, org.a1)


# --- reviewer_covers (evaluation: reviewing a subtree) -------------------------------------


@pytest.mark.parametrize("role", ["general_branch_reviewer", "city_reviewer", "province_reviewer"])
def test_reviewers_above_a_branch_cover_it(org, role):
    assert access.reviewer_covers(org.users[role], org.a1)


def test_a_reviewer_never_covers_a_sibling_subtree(org):
    assert not access.reviewer_covers(org.rev_b, org.a1)
    assert not access.reviewer_covers(org.users["city_reviewer"], org.b1)
    assert not access.reviewer_covers(org.users["general_branch_reviewer"], org.a2)
    assert access.reviewer_covers(org.rev_b, org.b1)


def test_a_reviewer_does_not_cover_their_own_unit_or_above_it(org):
    gb = org.users["general_branch_reviewer"]
    assert not access.reviewer_covers(gb, org.general_a)
    assert not access.reviewer_covers(gb, org.city_a)
    assert access.reviewer_covers(org.users["city_reviewer"], org.general_a)
    assert not access.reviewer_covers(org.users["province_reviewer"], org.province)


@pytest.mark.parametrize("role", NEVER_APPROVE)
def test_roles_other_than_reviewers_cover_no_subtree(org, role):
    assert not access.reviewer_covers(org.users[role], org.a1)


def test_a_reviewer_role_at_a_branch_reviews_nothing_below_it(org):
    user = grant(UserFactory(username="rev_a1"), org.a1, Role.REVIEWER)
    assert not access.reviewer_covers(user, org.group_a1)
    assert access.reviewing_subtrees(user) == []


def test_reviewer_covers_nothing_for_anonymous_users_or_without_a_unit(org):
    assert not access.reviewer_covers(AnonymousUser(), org.a1)
    assert not access.reviewer_covers(org.users["province_reviewer"], None)


# --- users_with_role_at --------------------------------------------------------------------


def test_users_with_role_at_is_one_query_with_the_users(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        users = access.users_with_role_at(org.province, Role.ADMIN, Role.PROVINCE_REVIEWER)
        names = usernames(users)  # the users come with the query, not one each
    assert names == ["admin_p", "rev_p"]


def test_users_with_role_at_counts_only_the_unit_itself_and_the_roles_asked(org):
    assert access.users_with_role_at(org.city_a, Role.SECRETARY) == []
    assert usernames(access.users_with_role_at(org.a1.pk, Role.SECRETARY)) == ["sec_a1"]
    assert access.users_with_role_at(org.a1, Role.REVIEWER) == []
    assert access.users_with_role_at(None, Role.SECRETARY) == []


def test_unit_ids_with_role(org):
    user = org.users["city_reviewer"]
    grant(user, org.a1, Role.SECRETARY)
    assert access.unit_ids_with_role(user, Role.SECRETARY) == {org.a1.pk}
    assert access.unit_ids_with_role(user, *access.REVIEWER_ROLES) == {org.city_a.pk}
    assert access.unit_ids_with_role(AnonymousUser(), Role.SECRETARY) == set()
