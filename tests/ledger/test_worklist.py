"""A secretary's 工作台 names this month's meetings still to be held at their branch, from the
ledger (no typing): in March 2026 A1 has held its 支委会 (3 March) but no 党小组会, 主题党日 or
quarterly 党课/党员大会 yet; a sibling branch's secretary never sees A1's item."""

import pytest
import time_machine
from django.urls import reverse

from branches.worklist import secretary_items
from ledger.selectors import worklist

from ..clock import local
from .world import World

pytestmark = pytest.mark.django_db

MID_MARCH = local(2026, 3, 16, 10)


@pytest.fixture
def world(org, roster):
    return World(org, roster)


def test_the_months_missing_meetings_are_on_the_secretarys_worklist(org, world):
    with time_machine.travel(MID_MARCH, tick=False):
        items = worklist.secretary_items(org.users["secretary"])
        on_dashboard = secretary_items(org.users["secretary"])
    [item] = [i for i in items if i.unit == org.a1.name]
    assert item.title.startswith("本月还需召开：")
    assert "党小组会" in item.title and "支委会" not in item.title  # held on 3 March
    assert item.url == reverse("ledger:compliance", args=[org.a1.pk])
    assert item.due_on.isoformat() == "2026-03-31"
    assert item in on_dashboard


def test_a_sibling_branchs_secretary_sees_only_their_own(org, world):
    with time_machine.travel(MID_MARCH, tick=False):
        items = worklist.secretary_items(org.sec_b1)
    assert all(i.unit == org.b1.name for i in items)


def test_the_count_of_queries_does_not_grow_with_branches(
    org, world, django_assert_max_num_queries
):
    from ledger.services.worklist import generate_all
    from tests.factories import grant

    generate_all(2026)  # the year's lists: their overdue tasks are read too
    user = org.users["secretary"]
    with time_machine.travel(MID_MARCH, tick=False):
        with django_assert_max_num_queries(12):
            one = worklist.secretary_items(user)
        grant(user, org.b1, "secretary")
        user = type(user).objects.get(pk=user.pk)  # roles are read once per user object
        user.role_assignments  # noqa: B018 - loaded once per request, as the middleware does
        with django_assert_max_num_queries(12):
            two = worklist.secretary_items(user)
    assert {i.unit for i in two} == {i.unit for i in one} | {org.b1.name}


def test_a_branch_without_a_roster_is_not_asked_here(org):
    # no member entered at A1: the ledger has not started there (its page still says what is due)
    with time_machine.travel(MID_MARCH, tick=False):
        assert worklist.secretary_items(org.users["secretary"]) == []


def _fresh(user):
    user = type(user).objects.get(pk=user.pk)  # roles are read once per user object
    user.role_assignments  # noqa: B018 - loaded once per request, as the middleware does
    return user


def test_of_two_branches_only_the_one_keeping_a_ledger_is_asked(org, world):
    from tests.factories import grant

    user = org.users["secretary"]
    grant(user, org.a2, "secretary")  # A2 has entered no roster
    with time_machine.travel(MID_MARCH, tick=False):
        items = worklist.secretary_items(_fresh(user))
    assert items and {i.unit for i in items} == {org.a1.name}


def test_the_secretary_of_a_general_branch_is_asked_for_its_branches(org, world):
    from tests.factories import UserFactory, grant

    user = UserFactory()
    grant(user, org.general_a, "secretary")
    with time_machine.travel(MID_MARCH, tick=False):
        items = worklist.secretary_items(_fresh(user))
        as_a1 = worklist.secretary_items(_fresh(org.users["secretary"]))
    assert items == as_a1 and {i.unit for i in items} == {org.a1.name}
