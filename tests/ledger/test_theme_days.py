"""主题党日 "1+N": a branch theme day with its party groups' own activities attached. Counting
(the theme day once for the branch, each activity for its group, never a second branch theme
day), who may attach (the secretary any group's, a group leader their own group's only), and
the theme day's page at a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ledger import selectors, services
from ledger.models import RecordStatus
from ledger.selectors import compliance as sel
from ledger.selectors.counting import Branches, theme_day_groups
from ledger.spans import Span
from tests.clock import local
from tests.factories import MemberFactory, PartyGroupFactory
from workflow.models import AuditEntry

from .world import held

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

MARCH = Span.month(datetime.date(2026, 3, 1))


class Day:
    """A1's March theme day (5 March), group 1's and group 2's March meetings, a February
    group meeting (another month) and B1's theme day (another branch)."""

    def __init__(self, org, roster):
        secretary = org.users["secretary"]
        self.day = held(org.a1, "theme-day", local(2026, 3, 5, 9), user=secretary)
        self.g1 = held(
            org.a1, "group-meeting", local(2026, 3, 5, 14), user=secretary, group=roster.g1
        )
        self.g2 = held(
            org.a1, "group-meeting", local(2026, 3, 6, 14), user=secretary, group=roster.g2
        )
        self.feb = held(
            org.a1, "group-meeting", local(2026, 2, 5, 14), user=secretary, group=roster.g1
        )
        self.b1_day = held(org.b1, "theme-day", local(2026, 3, 5, 9), user=org.sec_b1)


@pytest.fixture
def day(org, roster):
    return Day(org, roster)


def _attach(actor, activity, theme_day, reason=""):
    return services.link_theme_day(
        actor=actor, activity=activity, theme_day=theme_day, reason=reason
    )


def _rows(branch, span):
    return {r.template.key: (r.required, r.held) for r in sel.for_branch(branch, span).rows}


# --- counting ------------------------------------------------------------------------------


def test_the_theme_day_counts_once_for_the_branch_and_each_activity_for_its_group(org, roster, day):
    secretary = org.users["secretary"]
    second = held(org.a1, "group-meeting", local(2026, 3, 20, 14), user=secretary, group=roster.g1)
    for activity in (day.g1, day.g2, second):
        _attach(secretary, activity, day.day)
    rows = _rows(org.a1, MARCH)
    assert rows["theme-day"] == (1, 1)  # the "1": three activities attached, still one theme day
    assert rows["group-meeting"] == (2, 2)  # each group's own meeting counts for that group
    meetings = selectors.group_meetings(
        org.a1, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    )
    assert (meetings[roster.g1.pk].held, meetings[roster.g2.pk].held) == (1, 1)
    # N: groups with a recorded activity, group 1 once although it attached two records
    assert theme_day_groups(Branches(ids=(org.a1.pk,)), MARCH) == {day.day.pk: 2}


def test_a_draft_activity_is_not_among_the_n(org, roster, day):
    draft = held(
        org.a1,
        "group-meeting",
        local(2026, 3, 9),
        user=org.users["secretary"],
        group=roster.g2,
        status=RecordStatus.DRAFT,
    )
    _attach(org.users["secretary"], day.g1, day.day)
    _attach(org.users["secretary"], draft, day.day)
    assert theme_day_groups(Branches(ids=(org.a1.pk,)), ids=(day.day.pk,)) == {day.day.pk: 1}


def test_a_groups_record_is_never_a_second_branch_theme_day(org, roster):
    """Even a group record under the theme-day template (written past the form, which refuses
    it) counts for no branch theme day: the branch has held none in April."""
    april = local(2026, 4, 3, 9)
    held(org.a1, "theme-day", april, user=org.users["secretary"], group=roster.g1)
    assert _rows(org.a1, Span.month(datetime.date(2026, 4, 1)))["theme-day"] == (1, 0)


# --- who may attach, and what ----------------------------------------------------------------


def test_the_secretary_attaches_any_group_and_detaches(org, roster, day):
    secretary = org.users["secretary"]
    _attach(secretary, day.g2, day.day)
    day.g2.refresh_from_db()
    assert day.g2.theme_day_id == day.day.pk
    _attach(secretary, day.g2, None)
    day.g2.refresh_from_db()
    assert day.g2.theme_day_id is None
    actions = AuditEntry.objects.filter(object_id__in=[day.g2.pk, day.day.pk]).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["record_theme_day_link"] * 2 + ["record_theme_day_unlink"] * 2


def test_a_group_leader_attaches_their_own_groups_activity_only(org, roster, day, leader):
    _attach(leader, day.g1, day.day)
    with pytest.raises(PermissionDenied):
        _attach(leader, day.g2, day.day)  # group 2 is not Li's
    day.g2.refresh_from_db()
    assert day.g2.theme_day_id is None


def test_reviewers_and_other_branches_attach_nothing(org, roster, day):
    for role in ("city_reviewer", "province_reviewer", "admin"):
        with pytest.raises(PermissionDenied):
            _attach(org.users[role], day.g1, day.day)
    with pytest.raises(PermissionDenied):
        _attach(org.sec_b1, day.g1, day.day)


@pytest.mark.parametrize(
    "activity, target, message",
    [
        ("g1", "b1_day", "请选择本支部的主题党日"),  # another branch's theme day
        ("g1", "g2", "请选择本支部的主题党日"),  # not a theme day
        ("feb", "day", "同一个月"),  # February's meeting, March's theme day
        ("day", "day", "只有党小组的活动"),  # the branch's own record is not a group's
    ],
)
def test_what_may_be_attached(org, roster, day, activity, target, message):
    with pytest.raises(ValidationError) as refused:
        _attach(org.users["secretary"], getattr(day, activity), getattr(day, target))
    assert message in str(refused.value)


def test_a_closed_month_needs_a_reason(org, roster, leader):
    secretary = org.users["secretary"]
    theme = held(org.a1, "theme-day", local(2026, 1, 9, 9), user=secretary)
    activity = held(org.a1, "group-meeting", local(2026, 1, 9, 14), user=secretary, group=roster.g1)
    with pytest.raises(ValidationError) as refused:
        _attach(secretary, activity, theme)
    assert "已锁定" in str(refused.value)
    _attach(secretary, activity, theme, reason="补录一月主题党日")
    assert AuditEntry.objects.filter(object_id=activity.pk, comment__contains="补录").exists()


# --- pages ---------------------------------------------------------------------------------


def _post(client, activity, theme_day):
    url = reverse("ledger:record_theme_day", args=[activity.pk])
    return client.post(url, {"theme_day": theme_day.pk if theme_day else ""})


def test_the_link_view_answers_by_role(client, org, roster, day, leader):
    expected = {
        ("secretary", "g1"): 302,
        ("city_reviewer", "g1"): 403,
        ("admin", "g1"): 403,
        ("member", "g1"): 403,
    }
    for (role, which), status in expected.items():
        client.force_login(org.users[role])
        assert _post(client, getattr(day, which), day.day).status_code == status, role
    client.force_login(org.sec_b1)
    assert _post(client, day.g2, day.day).status_code == 403
    client.force_login(leader)
    assert _post(client, day.g2, day.day).status_code == 403  # another group's
    assert _post(client, day.g1, day.day).status_code == 302
    assert _post(client, day.g1, day.b1_day).status_code == 404  # not A1's record


def test_the_theme_day_page_shows_1_plus_n(client, org, roster, day, leader):
    _attach(org.users["secretary"], day.g1, day.day)
    client.force_login(org.users["secretary"])
    page = client.get(reverse("ledger:record", args=[day.day.pk])).content.decode()
    assert "主题党日 1+N：支部 1 次 + 1 个党小组活动" in page
    assert roster.g2.name in page  # group 2's March meeting may be attached
    client.force_login(leader)
    own = client.get(reverse("ledger:record", args=[day.g1.pk]))
    assert own.context["theme_days"] == [day.day]  # March's theme day, not B1's
    assert not own.context["theme_day_readable"]  # the leader reads their group's records only


@pytest.mark.parametrize("n", [2, 6])
def test_the_theme_day_page_costs_the_same_for_2_and_6_groups(
    client, org, roster, n, django_assert_num_queries
):
    secretary = org.users["secretary"]
    theme = held(org.a1, "theme-day", local(2026, 3, 5, 9), user=secretary)
    for i in range(n):
        group = PartyGroupFactory(branch=org.a1)
        MemberFactory(branch=org.a1, party_group=group)
        activity = held(org.a1, "group-meeting", local(2026, 3, 5, 14), user=secretary, group=group)
        _attach(secretary, activity, theme)
        held(org.a1, "group-meeting", local(2026, 3, 10 + i, 14), user=secretary, group=group)
    client.force_login(secretary)
    url = reverse("ledger:record", args=[theme.pk])
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    one_plus_n = response.context["one_plus_n"]
    assert (one_plus_n.groups, len(one_plus_n.candidates)) == (n, n)


# --- moving a record keeps the 1+N in one month ----------------------------------------------


def _move(actor, record, when):
    return services.save_draft(actor=actor, record=record, data={"held_at": when})


def test_an_attached_theme_day_or_activity_cannot_move_to_another_month(org, roster):
    """The same-month rule holds after the link, not only when linking: moving either side to
    April while attached is refused at the date field; within March it is an edit as any."""
    secretary = org.users["secretary"]
    theme_day = held(org.a1, "theme-day", local(2026, 3, 5, 9), user=secretary, status="draft")
    activity = held(org.a1, "group-meeting", local(2026, 3, 5, 14), user=secretary, group=roster.g1)
    activity.status = RecordStatus.DRAFT  # drafts: only the date changes here
    activity.save()
    _attach(secretary, activity, theme_day)
    with pytest.raises(ValidationError) as refused:
        _move(secretary, theme_day, local(2026, 4, 2, 9))
    assert "1 项党小组活动" in refused.value.message_dict["held_at"][0]
    with pytest.raises(ValidationError) as refused:
        _move(secretary, activity, local(2026, 4, 2, 14))
    assert "解除关联" in refused.value.message_dict["held_at"][0]
    theme_day.refresh_from_db()
    assert theme_day.held_at == local(2026, 3, 5, 9)  # nothing moved
    theme_day = _move(secretary, theme_day, local(2026, 3, 12, 9))  # the same month: fine
    _attach(secretary, activity, None)  # detached, both may move
    assert _move(secretary, theme_day, local(2026, 4, 2, 9)).held_at == local(2026, 4, 2, 9)
    activity.refresh_from_db()
    assert _move(secretary, activity, local(2026, 4, 2, 14)).held_at == local(2026, 4, 2, 14)
