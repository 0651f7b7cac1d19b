"""Compliance pages: who reads them (the matrix), what a branch's page says is still due, the
drill-down from a committee to its branches, one column at 390 px, constant query counts."""

import pytest
import time_machine
from django.urls import reverse

from tests.clock import local
from tests.factories import MemberFactory, OrgUnitFactory, PartyGroupFactory
from tests.permissions import assert_permission_matrix

from .conftest import READERS
from .world import World, held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    # 16 March 2026: this month is March, this quarter Q1.
    with time_machine.travel(local(2026, 3, 16, 10), tick=False):
        yield


def test_branch_page_matrix(client, org, roster):
    assert_permission_matrix(
        client, org, lambda unit: reverse("ledger:compliance", args=[unit.pk]), READERS
    )


def test_area_page_matrix(client, org, roster):
    """Own: the general branch above A1; other: city B. A secretary reads no unit above."""
    expected = READERS | {"secretary": 403}
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("ledger:compliance_unit", args=[unit.pk]),
        expected,
        own=org.general_a,
        other=org.city_b,
    )


def test_the_branch_page_says_what_is_still_due_this_month(client, org, roster):
    World(org, roster)
    client.force_login(org.users["secretary"])
    body = client.get(reverse("ledger:compliance", args=[org.a1.pk])).content.decode()
    assert "本月还需召开：支部党员大会 1 次、党小组会 2 次、主题党日 1 次" in body
    assert 'data-testid="compliance-quarter"' in body and 'data-testid="compliance-year"' in body
    assert "<table" not in body  # cards and list groups: one column at 390 px
    body = client.get(reverse("ledger:compliance", args=[org.a1.pk]), {"span": "quarter"})
    text = body.content.decode()
    assert "王芳" in text and "出席 2 / 3 次（请假 0）" in text  # per member, this quarter


def test_the_records_list_links_to_the_page(client, org, roster):
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("ledger:records", args=[org.a1.pk])).content.decode()
    assert reverse("ledger:compliance", args=[org.a1.pk]) in body


def test_drill_down_from_the_province_to_a_branch(client, org, roster):
    World(org, roster)
    client.force_login(org.users["province_reviewer"])
    response = client.get(reverse("ledger:compliance_area"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="area-A"' in body and 'data-testid="area-B"' in body
    assert reverse("ledger:compliance_unit", args=[org.city_a.pk]) in body
    body = client.get(
        reverse("ledger:compliance_unit", args=[org.city_a.pk]), {"behind": org.general_a.pk}
    ).content.decode()
    assert 'data-testid="behind-list"' in body and "甲市网络运维党支部" in body
    assert reverse("ledger:compliance", args=[org.a1.pk]) in body
    # A branch as the unit goes to the branch's page.
    response = client.get(reverse("ledger:compliance_unit", args=[org.a1.pk]))
    assert response.status_code == 302


def test_a_city_reviewer_starts_at_their_city_and_never_sees_the_other(client, org, roster):
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("ledger:compliance_area")).content.decode()
    assert "甲市网络部党总支" in body and "乙市" not in body


def _branches(org, n):
    for i in range(n):
        branch = OrgUnitFactory(parent=org.city_a, name=f"测试支部{i}", category="production")
        group = PartyGroupFactory(branch=branch, name="一组")
        member = MemberFactory(branch=branch, party_group=group)
        held(
            branch,
            "committee-meeting",
            local(2026, 3, 2, 9),
            user=org.users["secretary"],
            attendance=[(member, "present")],
        )


@pytest.mark.parametrize("n", [3, 30])
def test_the_area_page_costs_the_same_for_3_or_30_branches(
    client, org, roster, n, django_assert_num_queries
):
    _branches(org, n)
    client.force_login(org.users["city_reviewer"])
    url = reverse("ledger:compliance_unit", args=[org.city_a.pk])
    with django_assert_num_queries(13):  # session, user, roles, scope, count, snapshot?, page
        response = client.get(url, {"span": "quarter"})
    rows = response.content.decode().count('class="list-group-item" data-testid="area-')
    assert rows == n + 2  # GA, A2 and the new ones


def test_the_area_page_lists_its_children_a_page_at_a_time(client, org, roster):
    """A city may hold ten thousand branches right below it: the page shows them 50 at a time,
    in tree order, and the next page the rest."""
    _branches(org, 60)  # under city A, beside GA and A2: 62 children
    client.force_login(org.users["city_reviewer"])
    url = reverse("ledger:compliance_unit", args=[org.city_a.pk])
    first = client.get(url, {"span": "month"}).content.decode()
    second = client.get(url, {"span": "month", "page": 2}).content.decode()
    marker = 'class="list-group-item" data-testid="area-'
    assert (first.count(marker), second.count(marker)) == (50, 12)
    assert "共 62 条" in first
