"""A party group leader's 工作台 (党小组长: no role, a roster entry): per group they lead, the
group meetings still due this month (the ledger's per-group figures), 五个一 items filed and not
yet reviewed, pioneer posts without this half's review, the open quarter's assessment (a draft
as "being scored", never its points). Nothing of another group or branch; constant queries.
The clock is the groups tests' (15 September 2026: Q3 open for scoring, 2026H2 reviewable)."""

import datetime

import pytest
from django.urls import reverse

from branches import worklist
from groups import services
from groups.quarters import Quarter
from groups.selectors.worklist import leader_desks
from tests.clock import local
from tests.factories import MemberFactory, UserFactory
from tests.groups.conftest import name_post
from tests.ledger.world import held

pytestmark = pytest.mark.django_db


def _account(member, username):
    member.user = UserFactory(username=username, full_name=member.name)
    member.save()
    return member.user


@pytest.fixture
def li(roster):
    """Li leads group 1 of A1."""
    return _account(roster.li, "li_leader")


def _file(org, member, title, **extra):
    return services.file_item(
        actor=org.users["secretary"],
        member=member,
        kind="suggestion",
        title=title,
        description="好",
    )


def _review(org, post, half="2026H2"):
    services.review_post(
        actor=org.users["secretary"],
        post_id=post.pk,
        half=half,
        department_opinion="好",
        committee_opinion="好",
        led_by_example=True,
        outcome="renew",
    )


def test_the_desk_shows_what_is_due_for_the_leaders_group_only(org, roster, li):
    secretary = org.users["secretary"]
    pending = _file(org, roster.li, "扫码领料")
    decided = _file(org, roster.wang, "巡检新法")
    services.decide_item(actor=secretary, item_id=decided.pk, selected=True)
    _file(org, roster.zhao, "二组的建议")  # group 2's
    due = name_post(org, roster.li, title="抢修先锋岗")
    _review(org, name_post(org, roster.wang, title="已评估岗"))  # reviewed this half
    name_post(org, roster.zhao, title="二组先锋岗")  # group 2's
    name_post(org, roster.sun, branch=org.b1, actor=org.sec_b1, title="乙支部岗")
    services.start_quarter(actor=secretary, branch=org.a1, quarter=Quarter(2026, 3))

    [desk] = leader_desks(li)
    assert desk.group == roster.g1
    assert (desk.meetings.required, desk.meetings.held, desk.meetings_due) == (1, 0, 1)
    assert desk.month_end == datetime.date(2026, 9, 30)
    assert desk.items == [pending]
    assert desk.posts == [due]
    assert desk.half_end == datetime.date(2026, 12, 31)
    assert desk.assessment.is_draft and (desk.assessment.year, desk.assessment.quarter) == (2026, 3)

    held(org.a1, "group-meeting", local(2026, 9, 5, 14), user=secretary, group=roster.g1)
    held(org.a1, "group-meeting", local(2026, 9, 6, 14), user=secretary, group=roster.g2)
    [desk] = leader_desks(li)
    assert desk.meetings_due == 0  # group 2's meeting counts for group 2 only


def test_the_dashboard_shows_the_desk_to_leaders_only(client, org, roster, li):
    services.start_quarter(actor=org.users["secretary"], branch=org.a1, quarter=Quarter(2026, 3))
    client.force_login(li)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="group-desk"' in page and roster.g1.name in page
    assert "支部评分中" in page and "还需召开 1 次" in page
    wang = _account(roster.wang, "wang_member")  # a member of the group, not its leader
    for user in (wang, org.users["secretary"], org.users["admin"]):
        client.force_login(user)
        assert 'data-testid="group-desk"' not in client.get(reverse("dashboard")).content.decode()
    assert worklist.dashboard_for(wang).desks is None


def test_the_desk_leads_to_its_groups_meeting_form_and_to_filing_an_item(client, org, roster, li):
    """The meetings row opens the record form with the leader's group chosen (a leader of two
    groups would otherwise pick one), and the 五个一 row has its own 申报 link."""
    client.force_login(li)
    page = client.get(reverse("dashboard")).content.decode()
    record_form = reverse("ledger:record_new", args=[org.a1.pk]) + f"?group={roster.g1.pk}"
    filing = reverse("groups:innovation_new", args=[org.a1.pk])
    assert f'href="{record_form}"' in page and f'href="{filing}"' in page
    assert client.get(record_form).status_code == 200
    assert client.get(filing).status_code == 200


def test_a_leader_who_left_has_no_desk(org, roster, li):
    roster.li.is_active = False
    roster.li.save()
    assert leader_desks(li) == []


#: session, user, roles (3) + groups led, the ledger's month (templates, groups, counts),
#: items, posts, assessments — and the page's notifications badge
LEADER_MAX_QUERIES = 12


@pytest.mark.parametrize("n", [2, 10])
def test_the_desk_costs_the_same_for_2_and_10_items(
    client, org, roster, li, n, django_assert_max_num_queries
):
    secretary = org.users["secretary"]
    for i in range(n):
        member = MemberFactory(branch=org.a1, party_group=roster.g1, name=f"党员{i}")
        _file(org, member, f"建议{i}")
        name_post(org, member, title=f"先锋岗{i}")
        held(org.a1, "group-meeting", local(2026, 9, 1 + i, 14), user=secretary, group=roster.g1)
    services.start_quarter(actor=secretary, branch=org.a1, quarter=Quarter(2026, 3))
    client.force_login(li)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(LEADER_MAX_QUERIES):
        response = client.get(reverse("dashboard"))
    [desk] = response.context["board"].desks
    assert (len(desk.items), len(desk.posts)) == (n, n)
