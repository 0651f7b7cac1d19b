"""A party group's page (一组一品牌): the roster's readers and the group's own members see it;
the group's elected leader and the branch's secretary keep its brand card; nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import GroupBrand
from tests.clock import local
from tests.factories import MemberFactory, UserFactory
from tests.ledger.conftest import READERS
from tests.ledger.world import held
from tests.permissions import assert_permission_matrix
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

CARD = {"name": "抢修尖兵", "idea": "小故障不过夜", "highlights": "全年抢修 120 次"}


def page(group):
    return reverse("groups:group", args=[group.pk])


@pytest.fixture
def linked(roster):
    roster.li.user = UserFactory(username="li")  # leader of 运维一组
    roster.li.save()
    roster.zhao.user = UserFactory(username="zhao")  # member of 运维二组
    roster.zhao.save()
    return roster


def test_group_page_matrix(client, org, roster):
    assert_permission_matrix(client, org, page, READERS, own=roster.g1, other=roster.b_group)


def test_a_member_sees_their_own_group_only(client, linked):
    client.force_login(linked.zhao.user)
    response = client.get(page(linked.g2))
    assert response.status_code == 200
    assert "赵强" in response.content.decode()
    assert 'data-testid="group-brand-form"' not in response.content.decode()
    assert client.get(page(linked.g1)).status_code == 403


def test_the_leader_keeps_the_brand_card_and_it_is_audited(client, org, linked):
    client.force_login(linked.li.user)
    assert client.post(page(linked.g1), CARD).status_code == 302
    card = GroupBrand.objects.get(group=linked.g1)
    assert (card.name, card.updated_by) == ("抢修尖兵", linked.li.user)
    assert AuditEntry.objects.filter(action="group_brand_saved", unit=org.a1).count() == 1
    client.force_login(org.users["secretary"])
    assert client.post(page(linked.g1), {**CARD, "name": "抢修先锋"}).status_code == 302
    card.refresh_from_db()
    assert card.name == "抢修先锋"
    assert "抢修先锋" in client.get(page(linked.g1)).content.decode()


@pytest.mark.parametrize("who", ["zhao", "city_reviewer", "sec_b1"])
def test_nobody_else_changes_the_card(client, org, linked, who):
    user = {
        "zhao": linked.zhao.user,
        "city_reviewer": org.users["city_reviewer"],
        "sec_b1": org.sec_b1,
    }[who]
    client.force_login(user)
    assert client.post(page(linked.g1), CARD).status_code == 403
    assert not GroupBrand.objects.exists()


def test_a_card_without_a_name_comes_back_with_what_was_typed(client, linked):
    client.force_login(linked.li.user)
    response = client.post(page(linked.g1), {**CARD, "name": ""})
    assert response.status_code == 400
    assert "小故障不过夜" in response.content.decode()
    assert not GroupBrand.objects.exists()


def test_the_page_costs_the_same_queries_at_any_size(client, org, linked):
    client.force_login(org.users["secretary"])
    held(
        org.a1,
        "group-meeting",
        local(2026, 1, 10, 15),
        user=org.users["secretary"],
        group=linked.g1,
    )
    with CaptureQueriesContext(connection) as few:
        client.get(page(linked.g1))
    for day in range(2, 12):
        held(
            org.a1,
            "group-meeting",
            local(2026, 2, day, 15),
            user=org.users["secretary"],
            group=linked.g1,
        )
        MemberFactory(branch=org.a1, party_group=linked.g1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page(linked.g1)).status_code == 200
    assert len(many) == len(few)
