"""党小组季度考评 pages: who reads a branch's quarter and one group's result (role × page × own /
sibling subtree), the score form (save, submit, refusals at the field), what a group's members
see (their own group's published results, never a draft, never another group's) and the
query counts of the lists (the same for one group as for many)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups import services
from groups.models import AssessmentStatus, GroupAssessment
from groups.quarters import Quarter
from groups.services.assessment import field_name, note_name
from tests.clock import local
from tests.factories import PartyGroupFactory, UserFactory
from tests.ledger.conftest import READERS
from tests.permissions import LOGIN, assert_permission_matrix

pytestmark = pytest.mark.django_db

Q1 = Quarter(2026, 1)
#: Both the scoring and the publishing are open: the first day of the next quarter.
PUBLISHING = local(Q1.publishes_from.year, Q1.publishes_from.month, 1, 9)

#: Who may start a quarter and score: the branch's keepers (its secretary, administrators).
KEEPERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (302, 403),
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
    "admin": 302,
}
#: A draft is the branch's work in progress: its keepers only.
DRAFT_READERS = {**KEEPERS, "secretary": (200, 403), "admin": 200}


def branch_page(branch):
    return reverse("groups:assessments", args=[branch.pk]) + f"?q={Q1.year}-{Q1.number}"


def page(assessment):
    return reverse("groups:assessment", args=[assessment.pk])


@pytest.fixture
def at_publishing(clock):
    clock.move_to(PUBLISHING)


@pytest.fixture
def quarter(org, roster, at_publishing):
    """Q1 2026 opened at A1 (groups 1 and 2) and at sibling B1, by their secretaries."""
    services.start_quarter(actor=org.users["secretary"], branch=org.a1, quarter=Q1)
    services.start_quarter(actor=org.sec_b1, branch=org.b1, quarter=Q1)
    return {a.group.name: a for a in GroupAssessment.objects.select_related("group", "branch")}


def every_item(assessment, points="5"):
    """Form data scoring every item of the assessment (`points` each, no veto)."""
    data = {}
    for score in assessment.scores.select_related("indicator"):
        if score.indicator.kind == "veto":
            continue
        value = score.system_points if score.system_points is not None else points
        data[field_name(score.indicator_id)] = str(value)
    return data


def publish(assessment, actor):
    return services.submit_scores(
        actor=actor, assessment_id=assessment.pk, values=every_item(assessment)
    )


def test_branch_page_matrix(client, org, quarter):
    assert_permission_matrix(client, org, branch_page, READERS)


def test_start_matrix(client, org, roster, at_publishing):
    assert_permission_matrix(
        client,
        org,
        lambda b: reverse("groups:assessments", args=[b.pk]),
        KEEPERS,
        method="post",
        data={"q": "2026-1"},
    )


def test_draft_matrix(client, org, quarter):
    assert_permission_matrix(
        client, org, page, DRAFT_READERS, own=quarter["运维一组"], other=quarter["乙市一组"]
    )


def test_published_matrix(client, org, quarter):
    publish(quarter["运维一组"], org.users["secretary"])
    publish(quarter["乙市一组"], org.sec_b1)
    assert_permission_matrix(
        client, org, page, READERS, own=quarter["运维一组"], other=quarter["乙市一组"]
    )


def test_the_secretary_starts_scores_and_publishes(client, org, roster, at_publishing):
    client.force_login(org.users["secretary"])
    start = client.post(reverse("groups:assessments", args=[org.a1.pk]), {"q": "2026-1"})
    assert start.status_code == 302
    listing = client.get(branch_page(org.a1)).content.decode()
    assert "运维一组" in listing and "草稿" in listing
    g1 = GroupAssessment.objects.get(group=roster.g1)
    form = client.get(page(g1)).content.decode()
    assert 'data-testid="assessment-form"' in form and "系统预填" in form
    saved = client.post(page(g1), {**every_item(g1), "save": ""})
    assert saved.status_code == 302
    published = client.post(page(g1), {**every_item(g1), "submit": ""})
    assert published.status_code == 302
    g1.refresh_from_db()
    assert g1.status == AssessmentStatus.SUBMITTED
    result = client.get(page(g1)).content.decode()
    assert 'data-testid="assessment-form"' not in result and 'data-testid="reopen-form"' in result


def test_refusals_show_at_the_field(client, org, quarter):
    g1 = quarter["运维一组"]
    meetings = g1.scores.get(indicator__code="shyk-1")
    client.force_login(org.users["secretary"])
    data = {**every_item(g1), field_name(meetings.indicator_id): "20", "submit": ""}
    response = client.post(page(g1), data)
    assert response.status_code == 400
    assert response.context["form"].errors[note_name(meetings.indicator_id)] == [
        "调整系统预填分，请说明理由。"
    ]
    g1.refresh_from_db()
    assert g1.status == AssessmentStatus.DRAFT


def test_submit_waits_for_the_next_quarter_on_the_page(client, org, roster, clock):
    clock.move_to(local(2026, 3, 31, 23, 59, 59))
    services.start_quarter(actor=org.users["secretary"], branch=org.a1, quarter=Q1)
    g1 = GroupAssessment.objects.get(group=roster.g1)
    client.force_login(org.users["secretary"])
    body = client.get(page(g1)).content.decode()
    assert 'data-testid="assessment-submit"' not in body and "2026-04-01" in body
    response = client.post(page(g1), {**every_item(g1), "submit": ""})
    assert response.status_code == 400
    assert "2026-04-01 起可以提交" in response.content.decode()


def test_a_groups_members_see_its_published_results_only(client, org, roster, quarter):
    roster.zhao.user = UserFactory(username="zhao")  # group 2
    roster.zhao.save()
    roster.li.user = UserFactory(username="li")  # leads group 1
    roster.li.save()
    g1, g2 = quarter["运维一组"], quarter["运维二组"]
    client.force_login(roster.zhao.user)
    assert client.get(page(g2)).status_code == 403  # a draft
    publish(g2, org.users["secretary"])
    publish(g1, org.users["secretary"])
    assert client.get(page(g2)).status_code == 200
    assert client.get(page(g1)).status_code == 403  # another group
    assert client.get(branch_page(org.a1)).status_code == 403  # the branch's overview
    group_page = client.get(reverse("groups:group", args=[roster.g2.pk])).content.decode()
    assert reverse("groups:assessment", args=[g2.pk]) in group_page
    assert reverse("groups:assessment", args=[g1.pk]) not in group_page
    client.force_login(roster.li.user)
    assert client.get(page(g1)).status_code == 200
    assert client.post(page(g1), every_item(g1)).status_code == 403  # reads, never scores


def test_readers_above_see_published_results_not_drafts(client, org, quarter):
    publish(quarter["运维一组"], org.users["secretary"])
    client.force_login(org.users["city_reviewer"])
    body = client.get(branch_page(org.a1)).content.decode()
    assert reverse("groups:assessment", args=[quarter["运维一组"].pk]) in body
    assert reverse("groups:assessment", args=[quarter["运维二组"].pk]) not in body
    assert 'data-testid="assessment-start"' not in body


def test_reopen_from_the_page(client, org, quarter):
    g1 = quarter["运维一组"]
    publish(g1, org.users["secretary"])
    client.force_login(org.users["secretary"])
    url = reverse("groups:assessment_reopen", args=[g1.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "漏计"}).status_code == 302
    g1.refresh_from_db()
    assert g1.is_draft


def test_list_pages_read_a_constant_number_of_queries(client, org, roster, at_publishing):
    secretary = org.users["secretary"]
    client.force_login(secretary)

    def measure(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def publish_all():
        services.start_quarter(actor=secretary, branch=org.a1, quarter=Q1)
        for a in GroupAssessment.objects.filter(branch=org.a1, status="draft"):
            publish(a, secretary)

    publish_all()
    group = reverse("groups:group", args=[roster.g1.pk])
    few = (measure(branch_page(org.a1)), measure(group))
    for n in range(8):
        PartyGroupFactory(branch=org.a1, name=f"新组{n}")
    publish_all()
    for previous in (Quarter(2025, 4), Quarter(2025, 3)):
        _older(roster.g1, previous, secretary)
    assert (measure(branch_page(org.a1)), measure(group)) == few


def _older(group, quarter, actor):
    """A published result of an older quarter, written straight to the table."""
    latest = GroupAssessment.objects.filter(group=group).first()
    GroupAssessment.objects.create(
        branch=group.branch,
        group=group,
        year=quarter.year,
        quarter=quarter.number,
        version=latest.version,
        status=AssessmentStatus.SUBMITTED,
        total=60,
        max_total=100,
        created_by=actor,
        submitted_by=actor,
        submitted_at=PUBLISHING - datetime.timedelta(days=90),
    )


def test_publishing_tells_the_groups_members_and_shows_on_their_own_page(client, org, quarter):
    from workflow.models import Notification

    roster = quarter["运维一组"].group
    wang = roster.members.get(name="王芳")
    wang.user = UserFactory(username="wang")
    wang.save()
    publish(quarter["运维一组"], org.users["secretary"])
    note = Notification.objects.get(recipient=wang.user)
    assert "运维一组 2026年第1季度考评结果已公布" in note.title
    client.force_login(wang.user)
    body = client.get(reverse("groups:me")).content.decode()
    assert reverse("groups:assessment", args=[quarter["运维一组"].pk]) in body


def test_the_admin_lists_assessments_read_only(admin_client, quarter):
    url = reverse("admin:groups_groupassessment_changelist")
    assert "运维一组" in admin_client.get(url).content.decode()
    assert admin_client.get(reverse("admin:groups_groupassessment_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:groups_brandgroupnomination_changelist")).status_code == 200
    )
