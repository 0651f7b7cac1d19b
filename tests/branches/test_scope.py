import pytest

from branches import selectors
from branches.models import UnitType

pytestmark = pytest.mark.smoke


def codes(units):
    return sorted(u.code for u in units)


def test_secretary_sees_own_branch_and_its_groups_only(org):
    assert codes(selectors.units_visible_to(org.users["secretary"])) == ["A1", "A1G1"]


def test_city_reviewer_sees_city_subtree_never_the_sibling_city(org):
    visible = codes(selectors.units_visible_to(org.users["city_reviewer"]))
    assert visible == ["A", "A1", "A1G1", "A2", "GA"]
    assert codes(selectors.units_visible_to(org.rev_b)) == ["B", "B1"]


def test_province_roles_see_everything(org):
    for role in ("province_reviewer", "committee_member", "admin"):
        assert len(selectors.units_visible_to(org.users[role])) == 8


def test_user_without_roles_sees_nothing(org):
    assert not selectors.units_visible_to(org.users["member"]).exists()


def test_scope_is_one_query_without_python_tree_walks(org, django_assert_num_queries):
    user = org.users["city_reviewer"]
    with django_assert_num_queries(2):  # the user's roles, then the scoped units
        list(selectors.units_visible_to(user))


def test_nested_roles_collapse_to_the_widest_prefix(org):
    user = org.users["city_reviewer"]
    from tests.factories import grant

    grant(user, org.a1, "secretary")
    assert selectors.scope_paths(user) == [org.city_a.path]


def test_approval_chain_is_derived_from_the_tree(org):
    assert [u.code for u in selectors.approval_chain(org.a1)] == ["GA", "A", "P"]
    assert [u.code for u in selectors.approval_chain(org.a2)] == ["A", "P"]
    assert [u.code for u in selectors.approval_chain(org.b1)] == ["B", "P"]


def test_search_filters_by_name_code_type_category_region(org):
    admin = org.users["admin"]
    assert codes(selectors.search_units(admin, q="运维")) == ["A1", "A1G1", "B1"]
    assert codes(selectors.search_units(admin, q="a2")) == ["A2"]
    assert codes(selectors.search_units(admin, unit_type=UnitType.CITY)) == ["A", "B"]
    assert codes(selectors.search_units(admin, category="market")) == ["A2"]
    assert codes(selectors.search_units(admin, region=org.b1.region_id)) == ["B", "B1"]


def test_counts_by_type_is_an_aggregate(org):
    counts = selectors.counts_by_type(org.users["city_reviewer"])
    assert counts == {"city": 1, "general_branch": 1, "branch": 2, "party_group": 1}
