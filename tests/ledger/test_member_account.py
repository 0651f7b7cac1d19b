"""A roster member linked to a portal account: only the branch's secretary (or an
administrator) links and unlinks, audited, with refusals at the field; the linked account reads
its own roster row and no one else's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ledger.services import RosterError
from ledger.services import accounts as services
from tests.factories import UserFactory, grant
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

#: Who opens a member's account page: those who edit the roster (own, other branch).
EDITORS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
    "admin": 200,
}


@pytest.fixture
def wang_account():
    return UserFactory(username="wangfang", full_name="王芳")


def test_account_page_matrix(client, org, roster):
    members = {org.a1.pk: roster.li, org.b1.pk: roster.sun}
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("ledger:member_account", args=[members[unit.pk].pk]),
        EDITORS,
    )


def test_the_secretary_links_and_unlinks_audited(org, roster, wang_account):
    secretary = org.users["secretary"]
    services.link_account(actor=secretary, member=roster.wang, username=" wangfang ")
    roster.wang.refresh_from_db()
    assert roster.wang.user == wang_account
    services.unlink_account(actor=secretary, member=roster.wang, reason="账号停用")
    roster.wang.refresh_from_db()
    assert roster.wang.user is None
    entries = AuditEntry.objects.filter(object_id=roster.wang.pk, unit=org.a1).order_by("pk")
    assert [(e.action, e.from_state, e.to_state) for e in entries] == [
        ("member_link_account", "", "wangfang"),
        ("member_unlink_account", "wangfang", ""),
    ]
    assert entries[1].actor == secretary and entries[1].comment == "账号停用"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "没有这个登录名的在用账号"),
        ("sec_b1", "在其他单位任职"),  # the sibling branch's secretary
        ("member", "账号姓名（普通党员）与党员姓名（王芳）不一致"),
    ],
)
def test_an_account_not_of_the_branch_is_refused_at_the_field(org, roster, username, message):
    with pytest.raises(ValidationError) as refused:
        services.link_account(actor=org.users["secretary"], member=roster.wang, username=username)
    assert message in " ".join(refused.value.message_dict["username"])
    roster.wang.refresh_from_db()
    assert roster.wang.user is None


def test_an_account_linked_elsewhere_is_refused_without_naming_the_other(org, roster):
    shared = UserFactory(username="shared", full_name="")
    roster.sun.user = shared
    roster.sun.save()
    with pytest.raises(ValidationError) as refused:
        services.link_account(actor=org.users["secretary"], member=roster.wang, username="shared")
    text = " ".join(refused.value.message_dict["username"])
    assert "已关联其他党员" in text and roster.sun.name not in text


def test_the_branchs_own_secretary_may_be_linked_as_a_member(org, roster):
    secretary = org.users["secretary"]  # roles only at A1
    secretary.full_name = ""
    secretary.save()
    services.link_account(actor=secretary, member=roster.li, username="sec_a1")
    roster.li.refresh_from_db()
    assert roster.li.user == secretary


def test_readers_and_other_secretaries_cannot_link(org, roster, wang_account):
    for user in (org.users["city_reviewer"], org.sec_b1, org.users["member"]):
        with pytest.raises(PermissionDenied):
            services.link_account(actor=user, member=roster.wang, username="wangfang")
    with pytest.raises(RosterError):
        services.unlink_account(actor=org.users["secretary"], member=roster.wang)


def test_the_page_keeps_what_was_typed_and_says_why(client, org, roster):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:member_account", args=[roster.wang.pk])
    response = client.post(url, {"action": "link", "username": "nobody1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有这个登录名的在用账号" in html and 'value="nobody1"' in html


def test_the_page_links_and_the_member_page_shows_the_account(client, org, roster, wang_account):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:member_account", args=[roster.wang.pk])
    response = client.post(url, {"action": "link", "username": "wangfang"})
    assert response.status_code == 302
    html = client.get(reverse("ledger:member", args=[roster.wang.pk])).content.decode()
    assert "wangfang" in html and "关联平台账号" in html  # the account and the audit trail
    client.post(url, {"action": "unlink", "reason": "换号"})
    roster.wang.refresh_from_db()
    assert roster.wang.user is None


def test_a_linked_member_sees_their_own_row_and_nobody_elses(client, org, roster, wang_account):
    services.link_account(actor=org.users["secretary"], member=roster.wang, username="wangfang")
    client.force_login(wang_account)
    response = client.get(reverse("ledger:my_record"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "王芳" in html and "13955556666" in html  # their own full phone
    assert "党小组长：李明" in html  # their group's leader, by name only
    assert "13812341234" not in html and "赵强" not in html
    # the roster and other members' pages stay closed; the roster entry leads to their own row
    assert client.get(reverse("ledger:member", args=[roster.li.pk])).status_code == 403
    assert client.get(reverse("ledger:member", args=[roster.wang.pk])).status_code == 403
    assert client.get(reverse("ledger:roster", args=[org.a1.pk])).status_code == 403
    assert client.get(reverse("ledger:index")).url == reverse("ledger:my_record")


def test_an_unlinked_account_is_told_so(client, org):
    client.force_login(org.users["member"])
    html = client.get(reverse("ledger:my_record")).content.decode()
    assert 'data-testid="not-linked"' in html
    assert client.get(reverse("ledger:index")).status_code == 403


def test_my_record_needs_a_login(client):
    assert client.get(reverse("ledger:my_record")).status_code == 302


def test_a_member_who_left_no_longer_sees_a_row(client, org, roster, wang_account):
    services.link_account(actor=org.users["secretary"], member=roster.wang, username="wangfang")
    roster.wang.is_active = False
    roster.wang.left_on = roster.wang.joined_on
    roster.wang.save()
    client.force_login(wang_account)
    assert 'data-testid="not-linked"' in client.get(reverse("ledger:my_record")).content.decode()


def test_a_role_below_the_branch_still_belongs_to_it(org, roster):
    leader = grant(UserFactory(username="g1lead", full_name="王芳"), org.group_a1, "secretary")
    services.link_account(actor=org.users["secretary"], member=roster.wang, username="g1lead")
    roster.wang.refresh_from_db()
    assert roster.wang.user == leader
