"""党员考评 pages: who reads what (role × page × own / sibling subtree, and member × own / another
member of the branch / another branch / their group leader), the secretary's journey through
the forms (open, score, settle, coefficients, publish), the member's own pages (self-assessment
while open, their published result on 我的), masked personal data and the query counts of the
lists (the same for 2 members as for 10)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups import services
from groups.models import MemberAssessment, MemberTable, PeriodStatus
from groups.services.assessment import field_name
from tests.factories import MemberFactory, UserFactory
from tests.groups.test_member_services import scores, settle_all
from tests.permissions import LOGIN, assert_permission_matrix

pytestmark = pytest.mark.django_db

#: Member results are the branch's: its keepers (secretary, administrators) only. Reviewers
#: above the branch read its roster but not its members' results (issue #17: restraint).
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


def branch_page(branch):
    return reverse("groups:member_periods", args=[branch.pk])


def period_page(period):
    return reverse("groups:member_period", args=[period.pk])


def page(assessment):
    return reverse("groups:member_assessment", args=[assessment.pk])


@pytest.fixture
def linked(org, roster):
    """The matrix's `member` is Wang (group 1); Li leads group 1 with an account of his own."""
    roster.wang.user = org.users["member"]
    roster.wang.save()
    roster.li.user = UserFactory(username="li")
    roster.li.save()
    roster.sun.user = UserFactory(username="sun")
    roster.sun.save()
    return roster


@pytest.fixture
def periods(org, linked):
    """2026 双百 at A1 (by its secretary) and at sibling B1 (by its own)."""
    a1 = services.open_period(
        actor=org.users["secretary"], branch=org.a1, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    b1 = services.open_period(
        actor=org.sec_b1, branch=org.b1, table=MemberTable.DOUBLE_HUNDRED, year=2026
    )
    return a1, b1


@pytest.fixture
def published(org, periods):
    a1, b1 = periods
    settle_all(a1, org.users["secretary"])
    settle_all(b1, org.sec_b1)
    services.publish_period(actor=org.users["secretary"], period_id=a1.pk)
    services.publish_period(actor=org.sec_b1, period_id=b1.pk)
    return a1, b1


def test_branch_page_matrix(client, org, periods):
    assert_permission_matrix(client, org, branch_page, KEEPERS)


def test_period_page_matrix(client, org, periods):
    a1, b1 = periods
    assert_permission_matrix(client, org, period_page, KEEPERS, own=a1, other=b1)


def test_published_result_matrix(client, org, published):
    """Own: Wang's own result (the matrix's member is Wang); other: Sun's, at B1."""
    a1, b1 = published
    wang = a1.assessments.get(member__name="王芳")
    sun = b1.assessments.get()
    expected = {**KEEPERS, "member": (200, 403)}
    assert_permission_matrix(client, org, page, expected, own=wang, other=sun)


def test_a_member_reads_only_their_own_and_only_once_published(client, org, periods, linked):
    a1, _ = periods
    wang = a1.assessments.get(member=linked.wang)
    zhao = a1.assessments.get(member=linked.zhao)
    client.force_login(org.users["member"])
    open_page = client.get(page(wang))
    assert open_page.status_code == 200  # their self-assessment, no score yet
    body = open_page.content.decode()
    assert 'data-testid="member-score-form"' in body and 'data-testid="member-total"' not in body
    assert client.get(page(zhao)).status_code == 403  # another member of the branch
    settle_all(a1, org.users["secretary"])
    services.publish_period(actor=org.users["secretary"], period_id=a1.pk)
    result = client.get(page(wang)).content.decode()
    assert (
        'data-testid="member-total"' in result and 'data-testid="member-score-form"' not in result
    )
    assert client.get(page(zhao)).status_code == 403
    assert client.get(period_page(a1)).status_code == 403
    leader = linked.li.user  # leads Wang's group: reads his own result, not hers
    client.force_login(leader)
    assert client.get(page(wang)).status_code == 403
    assert client.get(page(a1.assessments.get(member=linked.li))).status_code == 200
    assert client.get(reverse("groups:member_assessment", args=[999999])).status_code == 404


def test_the_member_self_assesses_on_the_phone_page(client, org, periods, linked):
    a1, _ = periods
    wang = a1.assessments.get(member=linked.wang)
    client.force_login(org.users["member"])
    me = client.get(reverse("groups:me")).content.decode()
    assert "考评中，可自评" in me
    response = client.post(page(wang), {**scores(wang, "9"), "save": ""})
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.self_total is not None and wang.total == 0
    first = next(iter(scores(wang)))
    refused = client.post(page(wang), {first: "abc", "save": ""})
    assert refused.status_code == 400 and "请填写数字。" in refused.content.decode()


def test_the_secretary_opens_scores_settles_and_publishes(client, org, linked):
    client.force_login(org.users["secretary"])
    opened = client.post(branch_page(org.a1), {"table": "post_kpi", "year": "2026"})
    assert opened.status_code == 302
    period = linked.li.assessments.get().period
    listing = client.get(period_page(period)).content.decode()
    assert "李明" in listing and "138****1234" in listing and "13812341234" not in listing
    li = period.assessments.get(member=linked.li)
    saved = client.post(page(li), {**scores(li, "10"), "done": ""})
    assert saved.status_code == 302
    values = {f"coefficient_{a.member_id}": "1.00" for a in period.assessments.all()}
    values[f"coefficient_{linked.li.pk}"] = "1.20"
    assert (
        client.post(reverse("groups:member_coefficients", args=[period.pk]), values).status_code
        == 302
    )
    li.refresh_from_db()
    assert li.coefficient == Decimal("1.20") and li.result == li.total * Decimal("1.2")
    values[f"coefficient_{linked.li.pk}"] = "2"
    refused = client.post(reverse("groups:member_coefficients", args=[period.pk]), values)
    assert refused.status_code == 400 and "KPI系数不能大于" in refused.content.decode()
    not_yet = client.post(period_page(period))
    assert not_yet.status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    settle_all(period, org.users["secretary"])
    client.post(period_page(period))
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    me_client = client
    me_client.force_login(linked.li.user)
    me = me_client.get(reverse("groups:me")).content.decode()
    assert 'data-testid="me-results"' in me and "×1.20" in me


def test_refused_opening_keeps_the_choice_and_says_why(client, org, periods):
    client.force_login(org.users["secretary"])
    again = client.post(branch_page(org.a1), {"table": "double_hundred", "year": "2026"})
    assert again.status_code == 400 and "已开始" in again.content.decode()
    wrong = client.post(branch_page(org.a1), {"table": "double_hundred", "year": "2020"})
    assert wrong.status_code == 400 and "只能考评本年度或上一年度。" in wrong.content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_read_a_constant_number_of_queries(client, org):
    """The branch's period list and a period's member list read the same number of queries
    for 2 members as for 10 (an administrator reads both branches)."""
    actor = org.users["admin"]
    counts = []
    for branch, size in ((org.a2, 2), (org.b1, 10)):
        for n in range(size):
            MemberFactory(branch=branch, name=f"党员{n:02d}", phone=f"1380000{n:04d}")
        period = services.open_period(
            actor=actor, branch=branch, table=MemberTable.POST_KPI, year=2026
        )
        settle_all(period, actor)
        client.force_login(actor)
        counts.append((_count(client, branch_page(branch)), _count(client, period_page(period))))
    assert counts[0] == counts[1]


def test_me_reads_a_constant_number_of_queries(client, org, linked):
    secretary = org.users["secretary"]
    sizes = []
    for year in (2025, 2026):
        for table in MemberTable.values:
            period = services.open_period(actor=secretary, branch=org.a1, table=table, year=year)
            settle_all(period, secretary)
            services.publish_period(actor=secretary, period_id=period.pk)
        client.force_login(org.users["member"])
        sizes.append(_count(client, reverse("groups:me")))
    assert sizes[0] == sizes[1]
    assert MemberAssessment.objects.filter(member=linked.wang).count() == 4


def test_the_score_form_keeps_what_was_typed_on_a_refusal(client, org, periods):
    a1, _ = periods
    a = a1.assessments.first()
    client.force_login(org.users["secretary"])
    first = next(iter(scores(a)))
    response = client.post(page(a), {**scores(a), first: "999", "done": ""})
    assert response.status_code == 400
    assert response.context["form"].errors[first] == ["不能超过本项分值。"]
    assert 'value="999"' in response.content.decode()
    assert field_name(0) == "score_0"


def test_the_secretary_adds_newcomers_from_the_period_page(client, org, periods):
    a1, _ = periods
    MemberFactory(branch=org.a1, name="新党员")
    client.force_login(org.users["secretary"])
    url = reverse("groups:member_include", args=[a1.pk])
    assert client.post(url).status_code == 302
    assert a1.assessments.count() == 4
    client.force_login(org.sec_b1)
    assert client.post(url).status_code == 403
