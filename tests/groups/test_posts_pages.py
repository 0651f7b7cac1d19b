"""Pioneer-post pages: who sees and changes what (role × page × own/other branch), a member
sees their own post and nobody else's, lists cost the same queries at any size, and a refused
form keeps what was typed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups import services
from tests.factories import MemberFactory
from tests.ledger.conftest import READERS
from tests.permissions import LOGIN, assert_permission_matrix

from .conftest import name_post

pytestmark = pytest.mark.django_db

#: Who changes posts: the branch's secretary and administrators (the roster's keepers).
KEEPERS = {
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
def posts(org, roster, post):
    return {"own": post, "other": name_post(org, roster.sun, branch=org.b1, actor=org.sec_b1)}


def test_branch_posts_list_matrix(client, org, roster):
    url = lambda b: reverse("groups:posts", args=[b.pk])  # noqa: E731
    assert_permission_matrix(client, org, url, READERS)


def test_naming_page_matrix(client, org, roster):
    url = lambda b: reverse("groups:post_new", args=[b.pk])  # noqa: E731
    assert_permission_matrix(client, org, url, KEEPERS)


def test_post_page_matrix(client, org, posts):
    url = lambda p: reverse("groups:post", args=[p.pk])  # noqa: E731
    assert_permission_matrix(client, org, url, READERS, own=posts["own"], other=posts["other"])


def test_review_matrix(client, org, posts):
    """A POST that would succeed for a keeper; anyone else is refused before the service."""
    url = lambda p: reverse("groups:post_check", args=[p.pk])  # noqa: E731
    data = {"checked_on": "2026-09-01", "finding": "在岗"}
    expected = {**KEEPERS, "secretary": (302, 403), "admin": 302}
    assert_permission_matrix(
        client, org, url, expected, method="post", data=data, own=posts["own"], other=posts["other"]
    )


def test_a_member_sees_their_own_post_and_nobody_elses(client, org, roster, posts):
    member_user = org.users["member"]
    roster.li.user = member_user
    roster.li.save()
    client.force_login(member_user)
    assert client.get(reverse("groups:post", args=[posts["own"].pk])).status_code == 200
    assert client.get(reverse("groups:post", args=[posts["other"].pk])).status_code == 403
    assert client.get(reverse("groups:posts", args=[org.a1.pk])).status_code == 403
    mine = client.get(reverse("groups:my_posts")).content.decode()
    assert posts["own"].title in mine
    assert (
        'data-testid="review-form"'
        not in client.get(reverse("groups:post", args=[posts["own"].pk])).content.decode()
    )


def test_a_refused_post_keeps_what_was_typed(client, org, roster):
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("groups:post_new", args=[org.a1.pk]),
        {
            "member": roster.li.pk,
            "kind": "post",
            "title": "我的先锋岗",
            "commitment": "二十四小时响应",
            "term_start": "2026-07-01",
            "term_end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "我的先锋岗" in page and "二十四小时响应" in page
    assert "任期结束须晚于任期开始" in page


def test_a_stale_review_form_gets_a_message_not_an_error_page(client, org, post):
    client.force_login(org.users["secretary"])
    data = {
        "half": "2026H1",
        "department_opinion": "好",
        "committee_opinion": "同意",
        "led_by_example": "on",
        "outcome": "renew",
    }
    url = reverse("groups:post_review", args=[post.pk])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)  # a second tab: already reviewed
    assert again.status_code == 200
    assert "已经评估过" in again.content.decode()


def _more_posts(org, roster, n):
    for i in range(n):
        member = MemberFactory(branch=org.a1, party_group=roster.g1, name=f"党员{i}")
        post = name_post(org, member, title=f"岗位{i}")
        services.record_spot_check(
            actor=org.users["secretary"],
            post_id=post.pk,
            checked_on=datetime.date(2026, 9, 1),
            finding="在岗",
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda org: reverse("groups:posts", args=[org.a1.pk]),
        lambda org: reverse("groups:posts_area_unit", args=[org.city_a.pk]),
    ],
    ids=["branch", "area"],
)
def test_lists_cost_the_same_queries_at_any_size(
    client, org, roster, url, django_assert_num_queries
):
    client.force_login(org.users["city_reviewer"])
    _more_posts(org, roster, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(org)).status_code == 200
    _more_posts(org, roster, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(org)).status_code == 200
    assert len(many) == len(few)


def test_the_area_overview_counts_posts_in_force_per_branch_of_the_subtree(client, org, roster):
    name_post(org, roster.li, title="岗位")
    name_post(org, roster.wang, kind="zone", title="责任区")
    withdrawn = name_post(org, roster.zhao, title="已撤销")
    withdrawn.status = "withdrawn"
    withdrawn.save()
    name_post(org, roster.sun, branch=org.b1, actor=org.sec_b1, title="乙市岗")
    client.force_login(org.users["city_reviewer"])
    response = client.get(reverse("groups:posts_area_unit", args=[org.city_a.pk]))
    rows = [(r["branch_id"], r["posts"], r["zones"], r["teams"]) for r in response.context["page"]]
    assert rows == [(org.a1.pk, 1, 1, 0)]
    assert org.a1.name in response.content.decode()


def test_the_area_overview_matrix(client, org, roster):
    """As the 五个一 overview: a city's reviewer and those above read the city's posts; another
    city's unit answers 403 (not 404: the unit exists), a branch's secretary 403."""
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("groups:posts_area_unit", args=[unit.pk]),
        READERS | {"secretary": 403, "general_branch_reviewer": 403},
        own=org.city_a,
        other=org.city_b,
    )
