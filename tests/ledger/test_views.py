"""Who sees which roster page (the matrix), phone masking, and the list's query count."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from ledger.models import Member
from tests.factories import MemberFactory
from tests.permissions import assert_permission_matrix
from workflow.models import AuditEntry

from .conftest import READERS

pytestmark = pytest.mark.django_db

#: Changing it: the branch's secretary and administrators only.
EDITORS = READERS | {
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
}


@pytest.mark.parametrize(
    "name, readers",
    [("ledger:roster", READERS), ("ledger:groups", READERS), ("ledger:member_add", EDITORS)],
)
def test_branch_pages_matrix(client, org, roster, name, readers):
    assert_permission_matrix(client, org, lambda unit: reverse(name, args=[unit.pk]), readers)


@pytest.mark.parametrize(
    "name, readers",
    [
        ("ledger:member", READERS),
        ("ledger:member_edit", EDITORS),
        ("ledger:member_move", EDITORS),
    ],
)
def test_member_pages_matrix(client, org, roster, name, readers):
    assert_permission_matrix(
        client,
        org,
        lambda member: reverse(name, args=[member.pk]),
        readers,
        own=roster.wang,
        other=roster.sun,
    )


def test_leader_page_matrix(client, org, roster):
    assert_permission_matrix(
        client,
        org,
        lambda group: reverse("ledger:group_leader", args=[group.pk]),
        EDITORS,
        own=roster.g1,
        other=roster.b_group,
    )


def test_deactivate_matrix(client, org, roster):
    """POST without data: editors are sent back (302) with a message, others refused."""
    expected = EDITORS | {"secretary": (302, 403), "admin": 302}
    assert_permission_matrix(
        client,
        org,
        lambda m: reverse("ledger:member_deactivate", args=[m.pk]),
        expected,
        method="post",
        own=roster.wang,
        other=roster.sun,
    )
    assert Member.objects.filter(is_active=False).count() == 0


def test_unknown_objects_are_404(client, org):
    client.force_login(org.users["admin"])
    assert client.get(reverse("ledger:roster", args=[999999])).status_code == 404
    assert client.get(reverse("ledger:roster", args=[org.city_a.pk])).status_code == 404
    assert client.get(reverse("ledger:member", args=[999999])).status_code == 404


def test_index_and_nav_only_for_roster_roles(client, org, roster):
    client.force_login(org.users["member"])
    assert client.get(reverse("ledger:index")).status_code == 403
    assert reverse("ledger:index") not in client.get(reverse("dashboard")).content.decode()
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("ledger:index")).content.decode()
    assert "甲市网络运维党支部" in body and "甲市市场部党支部" in body
    assert "乙市网络运维党支部" not in body
    client.force_login(org.users["secretary"])  # one branch: straight to its roster
    response = client.get(reverse("ledger:index"))
    assert response.status_code == 302 and response.url == reverse(
        "ledger:roster", args=[org.a1.pk]
    )


# --- personal data -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretary", "city_reviewer", "admin"])
def test_list_masks_every_phone(client, org, roster, role):
    client.force_login(org.users[role])
    body = client.get(reverse("ledger:roster", args=[org.a1.pk])).content.decode()
    assert "138****1234" in body and "李明" in body
    for member in (roster.li, roster.wang, roster.zhao):
        assert member.phone not in body
    assert "孙乙" not in body


def test_full_phone_only_for_editors_on_detail(client, org, roster):
    url = reverse("ledger:member", args=[roster.li.pk])
    client.force_login(org.users["secretary"])
    assert "13812341234" in client.get(url).content.decode()
    client.force_login(org.users["city_reviewer"])
    body = client.get(url).content.decode()
    assert "13812341234" not in body and "138****1234" in body


def test_filters(client, org, roster):
    client.force_login(org.users["secretary"])
    url = reverse("ledger:roster", args=[org.a1.pk])
    body = client.get(url, {"group": roster.g2.pk}).content.decode()
    assert "赵强" in body and "王芳" not in body
    body = client.get(url, {"status": "full"}).content.decode()
    assert "王芳" in body and "赵强" not in body
    body = client.get(url, {"q": "王"}).content.decode()
    assert "王芳" in body and "李明" not in body
    body = client.get(url, {"group": roster.b_group.pk}).content.decode()  # ignored: not A1's
    assert "孙乙" not in body


# --- forms through the pages ---------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
def test_add_member_form_shows_chinese_field_errors(client, org, roster):
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("ledger:member_add", args=[org.a1.pk]),
        {
            "name": "陈新",
            "gender": "female",
            "birth_date": "1990-05-04",
            "education": "bachelor",
            "joined_on": "2015-07-01",
            "status": "probationary",
            "full_member_on": "2016-07-01",
            "phone": "12345",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "预备党员尚未转正，不应填写转正日期。" in body
    assert "手机号码格式不对" in body
    assert not Member.objects.filter(name="陈新").exists()


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
def test_move_page_refuses_branch_outside_scope(client, org, roster):
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("ledger:member_move", args=[roster.wang.pk]),
        {"branch_code": "B1", "reason": "调动"},
    )
    assert "目标党支部不在您的管辖范围内，不能调入。" in response.content.decode()
    roster.wang.refresh_from_db()
    assert roster.wang.branch == org.a1


def test_edit_page_saves_and_audits(client, org, roster):
    client.force_login(org.users["secretary"])
    m = roster.wang
    response = client.post(
        reverse("ledger:member_edit", args=[m.pk]),
        {
            "name": m.name,
            "gender": m.gender,
            "birth_date": "1985-03-02",
            "education": m.education,
            "joined_on": "2010-07-01",
            "status": "full",
            "full_member_on": "2011-07-01",
            "post": "值班长",
            "phone": m.phone,
            "reason": "岗位调整",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.post == "值班长"
    assert AuditEntry.objects.get(action="member_edit").comment == "修改：岗位；原因：岗位调整"


# --- query counts --------------------------------------------------------------------------


def test_roster_page_queries_same_for_3_or_30(client, org, roster, django_assert_max_num_queries):
    """The roster reads its page of members with their groups in one query: 3 members or 30
    (all on one page) cost the same number of queries."""
    client.force_login(org.users["city_reviewer"])
    url = reverse("ledger:roster", args=[org.a1.pk])
    client.get(url)  # warm the session
    counts = []
    for n in (3, 30):
        while Member.objects.filter(branch=org.a1).count() < n:
            MemberFactory(branch=org.a1, party_group=roster.g2)
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("n", [3, 30])
def test_member_index_queries_do_not_grow(client, org, roster, n, django_assert_max_num_queries):
    from tests.factories import OrgUnitFactory

    for i in range(n):
        OrgUnitFactory(parent=org.city_a, name=f"甲市第{i}党支部", code=f"AX{i}")
    client.force_login(org.users["city_reviewer"])
    client.get(reverse("ledger:index"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ledger:index")).status_code == 200
