"""五个一: a member files their own item, a group leader for their group, the secretary for
anyone; the branch decides in one of its meetings and recommends selected items upward;
counts per group come from one query."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups import selectors, services
from groups.models import InnovationItem, InnovationKind, InnovationStatus
from tests.clock import local
from tests.factories import MemberFactory, OrgUnitFactory, UserFactory
from tests.ledger.conftest import READERS
from tests.ledger.world import held
from tests.permissions import assert_permission_matrix

pytestmark = pytest.mark.django_db


def file(actor, member, title="巡检路线优化"):
    return services.file_item(
        actor=actor,
        member=member,
        kind=InnovationKind.SUGGESTION,
        title=title,
        description="减少重复巡检",
    )


@pytest.fixture
def linked(roster):
    """Li (leader of group 1) and Zhao (group 2) have portal accounts."""
    roster.li.user = UserFactory(username="li")
    roster.li.save()
    roster.zhao.user = UserFactory(username="zhao")
    roster.zhao.save()
    return roster


def test_who_files_for_whom(org, linked):
    li_user, zhao_user = linked.li.user, linked.zhao.user
    assert file(zhao_user, linked.zhao).party_group == linked.g2  # own item
    assert file(li_user, linked.wang).filed_by == li_user  # leader of Wang's group
    assert file(org.users["secretary"], linked.zhao).member == linked.zhao
    with pytest.raises(PermissionDenied):
        file(zhao_user, linked.wang)  # another group's member
    with pytest.raises(PermissionDenied):
        file(org.users["city_reviewer"], linked.wang)


def test_the_branch_decides_in_its_own_meeting_once(org, linked):
    item = file(org.users["secretary"], linked.li)
    other_meeting = held(org.b1, "committee-meeting", local(2026, 9, 1, 9), user=org.sec_b1)
    with pytest.raises(ValidationError):
        services.decide_item(
            actor=org.users["secretary"], item_id=item.pk, selected=True, meeting=other_meeting
        )
    meeting = held(org.a1, "committee-meeting", local(2026, 9, 2, 9), user=org.users["secretary"])
    services.decide_item(
        actor=org.users["secretary"], item_id=item.pk, selected=True, meeting=meeting, note="优秀"
    )
    item.refresh_from_db()
    assert (item.status, item.reviewed_in) == (InnovationStatus.SELECTED, meeting)
    with pytest.raises(services.InnovationError):
        services.decide_item(actor=org.users["secretary"], item_id=item.pk, selected=False)


def test_only_selected_items_are_recommended(org, linked):
    item = file(org.users["secretary"], linked.li)
    with pytest.raises(services.InnovationError):
        services.recommend_item(actor=org.users["secretary"], item_id=item.pk)
    services.decide_item(actor=org.users["secretary"], item_id=item.pk, selected=True)
    services.recommend_item(actor=org.users["secretary"], item_id=item.pk)
    item.refresh_from_db()
    assert item.status == InnovationStatus.RECOMMENDED


def test_counts_per_group(org, linked):
    sec = org.users["secretary"]
    a, b = file(sec, linked.li), file(sec, linked.wang)
    file(sec, linked.zhao)
    services.decide_item(actor=sec, item_id=a.pk, selected=True)
    services.decide_item(actor=sec, item_id=b.pk, selected=True)
    services.recommend_item(actor=sec, item_id=b.pk)
    counts = {c["party_group__name"]: c for c in selectors.counts_by_group(org.a1, 2026)}
    assert (counts["运维一组"]["filed"], counts["运维一组"]["chosen"]) == (2, 2)
    assert counts["运维一组"]["recommended"] == 1
    assert (counts["运维二组"]["filed"], counts["运维二组"]["chosen"]) == (1, 0)


def test_branch_page_matrix(client, org, roster):
    url = lambda b: reverse("groups:innovation", args=[b.pk])  # noqa: E731
    assert_permission_matrix(client, org, url, READERS)


def test_a_member_files_on_a_phone_form_and_sees_it_as_theirs(client, org, linked):
    client.force_login(linked.zhao.user)
    form = client.get(reverse("groups:innovation_new", args=[org.a1.pk])).content.decode()
    assert "赵强" in form and "王芳" not in form  # only themself to choose
    response = client.post(
        reverse("groups:innovation_new", args=[org.a1.pk]),
        {
            "member": linked.zhao.pk,
            "kind": "record",
            "title": "单日抢修纪录",
            "description": "12 处",
        },
    )
    assert response.status_code == 302
    assert "单日抢修纪录" in client.get(reverse("groups:my_innovation")).content.decode()
    refused = client.post(
        reverse("groups:innovation_new", args=[org.a1.pk]),
        {"member": linked.wang.pk, "kind": "record", "title": "别人的", "description": "x"},
    )
    assert refused.status_code == 200
    assert "别人的" in refused.content.decode()  # what was typed comes back


def test_someone_without_a_member_to_file_for_is_refused(client, org, roster):
    client.force_login(org.users["member"])
    assert client.get(reverse("groups:innovation_new", args=[org.a1.pk])).status_code == 403


def test_the_branch_page_costs_the_same_queries_at_any_size(client, org, linked):
    client.force_login(org.users["secretary"])
    url = reverse("groups:innovation", args=[org.a1.pk]) + "?year=2026"
    file(org.users["secretary"], linked.li)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        file(
            org.users["secretary"], MemberFactory(branch=org.a1, party_group=linked.g2), f"项目{i}"
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_deciding_from_the_page(client, org, linked):
    item = file(org.users["secretary"], linked.li)
    meeting = held(org.a1, "committee-meeting", local(2026, 9, 2, 9), user=org.users["secretary"])
    url = reverse("groups:innovation_decide", args=[item.pk])
    data = {"selected": "1", "meeting": meeting.pk, "note": "优秀"}
    client.force_login(org.users["city_reviewer"])
    assert client.post(url, data).status_code == 403
    client.force_login(org.users["secretary"])
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.status == InnovationStatus.SELECTED and item.reviewed_in == meeting
    again = client.post(url, data, follow=True)
    assert "已评议过" in again.content.decode()


def test_a_members_own_page_lists_their_posts_and_items_only(client, org, linked):
    file(org.users["secretary"], linked.zhao, "赵的项目")
    file(org.users["secretary"], linked.li, "李的项目")
    client.force_login(linked.zhao.user)
    page = client.get(reverse("groups:me")).content.decode()
    assert "赵的项目" in page and "李的项目" not in page
    assert 'data-testid="me-link"' in page  # the account menu offers it
    client.force_login(org.users["member"])  # not linked to the roster
    page = client.get(reverse("groups:me")).content.decode()
    assert 'data-testid="not-linked"' in page  # what to do, not an error page


# --- a committee's overview (五个一概况) ---------------------------------------------------


def _overview(client, user, unit, year=2026):
    client.force_login(user)
    return client.get(reverse("groups:innovation_area_unit", args=[unit.pk]), {"year": year})


def test_the_overview_counts_per_branch_of_the_subtree_only(client, org, roster):
    secretary = org.users["secretary"]
    chosen = file(secretary, roster.li, "扫码领料")
    services.decide_item(actor=secretary, item_id=chosen.pk, selected=True)
    file(secretary, roster.zhao, "巡检新法")
    file(org.sec_b1, roster.sun, "乙市建议")  # the sibling city's
    response = _overview(client, org.users["city_reviewer"], org.city_a)
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [(r["branch_id"], r["filed"], r["chosen"]) for r in rows] == [(org.a1.pk, 2, 1)]
    assert _overview(client, org.users["city_reviewer"], org.city_b).status_code == 403
    assert not list(_overview(client, org.users["city_reviewer"], org.city_a, 2025).context["page"])


def test_the_overview_matrix(client, org, roster):
    """A city's overview: its reviewer and those above; a branch's secretary or a general
    branch's reviewer below it reads its own branch's page, not the city's."""
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("groups:innovation_area_unit", args=[unit.pk]),
        READERS | {"secretary": 403, "general_branch_reviewer": 403},
        own=org.city_a,
        other=org.city_b,
    )


def test_the_overview_costs_the_same_for_1_or_5_branches(client, org, roster):
    secretary = org.users["secretary"]
    file(secretary, roster.li)
    _overview(client, org.users["city_reviewer"], org.city_a)  # logged in, caches warm
    url = reverse("groups:innovation_area_unit", args=[org.city_a.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(4):
        branch = OrgUnitFactory(parent=org.general_a, code=f"IA{i}")
        member = MemberFactory(branch=branch)
        InnovationItem.objects.create(
            branch=branch,
            member=member,
            kind="suggestion",
            title=f"建议{i}",
            description="好",
            year=2026,
            filed_by=secretary,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(many) == len(few)
