"""免评 (issue #17 item 7): the branch exempts a member of an open period with a reason (a
member who left, is long ill or abroad), audited and reversible while open; an exempt member
needs no score, does not hold up publication, gets no result nor notification, and shows as
免评 (the reason to the branch only). A member who leaves the roster while a period is open is
offered for 免评 on the period page. Who may exempt (role × own / other branch, the group
leader, the member) and the period page's queries with exempt members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from groups import services
from groups.models import MemberTable
from groups.selectors import members as S
from tests.factories import MemberFactory, UserFactory
from tests.groups.test_member_pages import _count, period_page
from tests.groups.test_member_services import open_, scores, settle_all
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def exempt_url(assessment):
    return reverse("groups:member_exempt", args=[assessment.pk])


def test_exempting_and_lifting_are_audited_and_need_a_reason(org, roster):
    secretary = org.users["secretary"]
    period = open_(org)
    zhao = period.assessments.get(member=roster.zhao)
    with pytest.raises(ValidationError) as refused:
        services.exempt_member(actor=secretary, assessment_id=zhao.pk, reason="  ")
    assert "reason" in refused.value.message_dict
    services.exempt_member(actor=secretary, assessment_id=zhao.pk, reason="长期病假")
    zhao.refresh_from_db()
    assert zhao.exempt and zhao.exempt_reason == "长期病假"
    with pytest.raises(services.MemberAssessmentError, match="免评"):  # no score while exempt
        services.score_member(actor=secretary, assessment_id=zhao.pk, values=scores(zhao))
    with pytest.raises(services.MemberAssessmentError):
        services.exempt_member(actor=secretary, assessment_id=zhao.pk, reason="again")
    services.lift_exemption(actor=secretary, assessment_id=zhao.pk)
    zhao.refresh_from_db()
    assert not zhao.exempt and zhao.exempt_reason == ""
    entries = AuditEntry.objects.filter(object_id=zhao.pk).values_list("action", "comment")
    assert ("member_exempted", "长期病假") in set(entries)
    assert any(a == "member_exemption_lifted" and "长期病假" in c for a, c in entries)


def test_publication_counts_without_the_exempt_member(org, roster):
    secretary = org.users["secretary"]
    roster.zhao.user = UserFactory(username="zhao")
    roster.zhao.save()
    roster.wang.user = UserFactory(username="wang")
    roster.wang.save()
    period = open_(org)
    zhao = period.assessments.get(member=roster.zhao)
    for a in period.assessments.exclude(pk=zhao.pk):
        services.score_member(actor=secretary, assessment_id=a.pk, values=scores(a), done=True)
    with pytest.raises(services.MemberAssessmentError, match="1 名党员未定分"):
        services.publish_period(actor=secretary, period_id=period.pk)
    services.exempt_member(actor=secretary, assessment_id=zhao.pk, reason="出国")
    services.publish_period(actor=secretary, period_id=period.pk)
    assert Notification.objects.filter(recipient=roster.wang.user).count() == 1
    assert not Notification.objects.filter(recipient=roster.zhao.user).exists()
    assert list(S.my_results(roster.zhao.user)) == []
    assert [p.exempted for p in S.periods_of(org.a1)] == [1]


def test_closed_periods_and_other_branches_are_refused(org, roster):
    secretary = org.users["secretary"]
    period = open_(org)
    settle_all(period, secretary)
    services.publish_period(actor=secretary, period_id=period.pk)
    a = period.assessments.first()
    with pytest.raises(services.MemberAssessmentError, match="已公布"):
        services.exempt_member(actor=secretary, assessment_id=a.pk, reason="出国")
    with pytest.raises(services.MemberAssessmentError, match="已公布"):
        services.lift_exemption(actor=secretary, assessment_id=a.pk)
    b1 = services.open_period(
        actor=org.sec_b1, branch=org.b1, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    sun = b1.assessments.get()
    for actor in (secretary, org.users["city_reviewer"]):
        with pytest.raises(PermissionDenied):
            services.exempt_member(actor=actor, assessment_id=sun.pk, reason="出国")
    with pytest.raises(PermissionDenied):
        services.lift_exemption(actor=secretary, assessment_id=sun.pk)


@pytest.fixture
def periods(org, roster):
    roster.wang.user = org.users["member"]  # the matrix's member is Wang
    roster.wang.save()
    a1 = open_(org)
    b1 = services.open_period(
        actor=org.sec_b1, branch=org.b1, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    return a1, b1


def test_exempt_action_matrix(client, org, roster, periods):
    """A blank reason: the branch's keepers are answered at the field (400), nothing changes;
    everyone else is refused (403) — reviewers above read the roster, not the assessment."""
    a1, b1 = periods
    own = a1.assessments.get(member=roster.zhao)
    other = b1.assessments.get()
    expected = {
        "anonymous": LOGIN,
        "member": 403,
        "secretary": (400, 403),
        "general_branch_reviewer": 403,
        "city_reviewer": 403,
        "province_reviewer": 403,
        "committee_member": 403,
        "admin": 400,
    }
    assert_permission_matrix(
        client, org, exempt_url, expected, method="post", data={"reason": ""}, own=own, other=other
    )
    assert not own.__class__.objects.filter(exempt=True).exists()


def test_neither_the_group_leader_nor_the_member_exempts(client, org, roster, periods):
    a1, _ = periods
    roster.li.user = UserFactory(username="li")  # leads group 1 (Wang's)
    roster.li.save()
    wang = a1.assessments.get(member=roster.wang)
    for user in (roster.li.user, org.users["member"]):
        client.force_login(user)
        assert client.post(exempt_url(wang), {"reason": "出国"}).status_code == 403
    wang.refresh_from_db()
    assert not wang.exempt


def test_the_secretary_exempts_on_the_pages_and_the_member_sees_no_reason(
    client, org, roster, periods
):
    a1, _ = periods
    wang = a1.assessments.get(member=roster.wang)
    client.force_login(org.users["secretary"])
    refused = client.post(exempt_url(wang), {"reason": ""})
    assert refused.status_code == 400
    assert refused.context["exempt_form"].errors["reason"]
    response = client.post(exempt_url(wang), {"reason": "长期病假"})
    assert response.status_code == 302
    body = client.get(period_page(a1)).content.decode()
    assert "免评" in body and "长期病假" in body
    mine = client.get(reverse("groups:member_assessment", args=[wang.pk])).content.decode()
    assert "取消免评" in mine and "member-score-form" not in mine
    client.force_login(org.users["member"])
    own = client.get(reverse("groups:member_assessment", args=[wang.pk])).content.decode()
    assert "免评" in own and "长期病假" not in own and "member-score-form" not in own
    client.force_login(org.users["secretary"])
    client.post(reverse("groups:member_lift_exemption", args=[wang.pk]))
    wang.refresh_from_db()
    assert not wang.exempt


def test_a_member_who_left_is_offered_for_exemption(client, org, roster, periods):
    a1, _ = periods
    roster.zhao.is_active, roster.zhao.left_on = False, a1.created_at.date()
    roster.zhao.save()
    client.force_login(org.users["secretary"])
    response = client.get(period_page(a1))
    left = response.context["left"]
    assert [a.member.name for a in left] == ["赵强"]
    body = response.content.decode()
    assert "已离册" in body and "离开本支部" in body
    services.exempt_member(
        actor=org.users["secretary"], assessment_id=left[0].pk, reason="调离本支部"
    )
    assert client.get(period_page(a1)).context["left"] == []


def test_the_period_page_reads_the_same_queries_with_exempt_members(client, org):
    actor = org.users["admin"]
    counts = []
    for branch, size in ((org.a2, 2), (org.b1, 10)):
        members = [MemberFactory(branch=branch, name=f"党员{n:02d}") for n in range(size)]
        period = services.open_period(
            actor=actor, branch=branch, table=MemberTable.DOUBLE_HUNDRED, year=2026
        )
        members[0].is_active, members[0].left_on = False, period.created_at.date()
        members[0].save()
        for a in period.assessments.filter(member__in=members[-1:]):
            services.exempt_member(actor=actor, assessment_id=a.pk, reason="出国")
        client.force_login(actor)
        counts.append(_count(client, period_page(period)))
    assert counts[0] == counts[1]
