"""The plan pages: who sees what (role × page × own/other subtree), the plan form pre-filled
and refused at the field, the completion report with its files, the reviewer's list with its
filters at a constant query count, and the links in from the dashboard and the assessment."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from rectification import services
from rectification.models import PlanStatus, RectificationPlan
from tests.clock import local
from tests.factories import OrgUnitFactory, grant
from tests.returned import HOSTILE, assert_shows_no_return, assert_shows_return, return_at

from .conftest import filled
from .test_services import ACTORS, pdf


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


PAGE_ACCESS = {
    # actor → (A1's plan page, the list page)
    "own secretary": (200, 403),
    "other secretary": (403, 403),
    "first-level reviewer": (200, 200),
    "city reviewer above": (200, 200),
    "other city reviewer": (403, 200),
    "province reviewer": (200, 200),
    "administrator": (200, 200),
    "member": (403, 403),
}


@pytest.mark.parametrize("actor", PAGE_ACCESS)
def test_who_opens_which_page(client, org, plan_a1, actor):
    user = ACTORS[actor](org)
    plan_status, list_status = PAGE_ACCESS[actor]
    assert _get(client, user, reverse("rectification:plan", args=[plan_a1.pk])).status_code == (
        plan_status
    )
    assert _get(client, user, reverse("rectification:index")).status_code == list_status


def test_the_list_shows_only_the_reviewers_subtree(client, org, published):
    body = _get(client, org.users["city_reviewer"], reverse("rectification:index")).content
    body = body.decode()
    assert "甲市网络运维党支部" in body and "乙市网络运维党支部" not in body
    body = _get(client, org.rev_b, reverse("rectification:index")).content.decode()
    assert "乙市网络运维党支部" in body and "甲市网络运维党支部" not in body


def test_the_secretary_fills_a_plan_pre_filled_from_the_weakest_items(client, org, plan_a1):
    response = _get(
        client, org.users["secretary"], reverse("rectification:plan", args=[plan_a1.pk])
    )
    body = response.content.decode()
    assert 'data-testid="plan-form"' in body
    problems = re.search(r'<textarea name="problems"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert problems.strip() and "：" in problems  # "维度 · 指标：得分/分值" lines


def test_saving_and_submitting_from_the_form(client, org, plan_a1):
    client.force_login(org.users["secretary"])
    data = {
        **filled(plan_a1),
        "target_date": plan_a1.deadline.isoformat(),
        "expected_version": services.WORKFLOW.version_of(plan_a1),
        "submit": "1",
    }
    response = client.post(reverse("rectification:save", args=[plan_a1.pk]), data)
    assert response.status_code == 302
    plan_a1.refresh_from_db()
    assert plan_a1.status == PlanStatus.SUBMITTED and plan_a1.responsible == "张书记"


def test_a_late_target_date_is_refused_at_the_field(client, org, plan_a1):
    client.force_login(org.users["secretary"])
    late = plan_a1.deadline + datetime.timedelta(days=3)
    data = {
        **filled(plan_a1),
        "target_date": late.isoformat(),
        "expected_version": services.WORKFLOW.version_of(plan_a1),
    }
    response = client.post(reverse("rectification:save", args=[plan_a1.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "完成时限不能晚于整改期限" in body and "invalid-feedback" in body
    plan_a1.refresh_from_db()
    assert plan_a1.target_date is None


def test_an_incomplete_submission_keeps_the_draft_and_says_why(client, org, plan_a1):
    client.force_login(org.users["secretary"])
    data = {
        "problems": "记录不全",
        "expected_version": services.WORKFLOW.version_of(plan_a1),
        "submit": "1",
    }
    response = client.post(reverse("rectification:save", args=[plan_a1.pk]), data, follow=True)
    assert "提交审核前请填写" in response.content.decode()
    plan_a1.refresh_from_db()
    assert plan_a1.status == PlanStatus.OPEN and plan_a1.problems == "记录不全"


def _approve(org, plan):
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan.pk, data=filled(plan))
    services.submit_plan(actor=sec, pk=plan.pk)
    return services.approve_plan(actor=org.users["general_branch_reviewer"], pk=plan.pk)


def test_the_reviewer_decides_from_the_plan_page(client, org, plan_a1):
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    plan = services.submit_plan(actor=sec, pk=plan_a1.pk)
    reviewer = org.users["general_branch_reviewer"]
    body = _get(client, reviewer, reverse("rectification:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="act-approve"' in body and 'data-testid="act-return"' in body
    # the city above reads it, decides nothing
    city = _get(client, org.users["city_reviewer"], reverse("rectification:plan", args=[plan.pk]))
    assert 'data-testid="act-approve"' not in city.content.decode()
    client.force_login(reviewer)
    client.post(
        reverse("rectification:act", args=[plan.pk, "return"]),
        {"comment": "", "expected_version": services.WORKFLOW.version_of(plan)},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # a return needs its reason
    client.post(
        reverse("rectification:act", args=[plan.pk, "approve"]),
        {"comment": "同意", "expected_version": services.WORKFLOW.version_of(plan)},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_the_branch_reports_completion_with_files(client, org, plan_a1):
    plan = _approve(org, plan_a1)
    client.force_login(org.users["secretary"])
    url = reverse("rectification:report", args=[plan.pk])
    version = services.WORKFLOW.version_of(plan)
    response = client.post(url, {"completion": "已整改", "expected_version": version})
    assert response.status_code == 400 and "请上传整改佐证材料" in response.content.decode()
    response = client.post(
        url,
        {
            "completion": "已整改到位",
            "expected_version": version,
            "evidence": [pdf(), pdf("b.pdf")],
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REPORTED and plan.evidence.count() == 2
    evidence = plan.evidence.first()
    assert client.get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 200
    client.force_login(org.sec_b1)
    assert client.get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 403


def test_the_status_filters(client, org, published):
    plan = RectificationPlan.objects.get(unit=org.a1)
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan.pk, data=filled(plan))
    services.submit_plan(actor=sec, pk=plan.pk)
    reviewer = org.users["general_branch_reviewer"]
    client.force_login(reviewer)
    index = reverse("rectification:index")
    waiting = client.get(index, {"status": "waiting"}).content.decode()
    assert waiting.count('data-testid="plan-row"') == 1
    assert (
        client.get(index, {"status": "open"}).content.decode().count('data-testid="plan-row"') == 0
    )
    with time_machine.travel(local(2026, 12, 21, 0, 5), tick=False):  # the day after the deadline
        client.force_login(org.users["province_reviewer"])
        overdue = client.get(index, {"status": "overdue"}).content.decode()
    assert overdue.count('data-testid="plan-row"') == 2 and 'data-testid="overdue"' in overdue
    with time_machine.travel(local(2026, 12, 20, 23, 55), tick=False):  # the deadline's last minute
        client.force_login(org.users["province_reviewer"])
        overdue = client.get(index, {"status": "overdue"}).content.decode()
    assert overdue.count('data-testid="plan-row"') == 0


LIST_QUERIES = 9  # session, user, roles, the count, the page, the state counts, …


def test_the_list_costs_the_same_for_one_or_many_rows(
    client, org, published, django_assert_max_num_queries
):
    client.force_login(org.users["province_reviewer"])
    url = reverse("rectification:index")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(url).content.decode().count('data-testid="plan-row"') == 2
    template = RectificationPlan.objects.get(unit=org.b1)
    for i in range(12):
        unit = OrgUnitFactory(parent=org.city_b, name=f"乙市支部{i}", code=f"BX{i}")
        template.pk, template.unit = None, unit
        template.save()
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(url).content.decode().count('data-testid="plan-row"') == 14


def test_the_dashboard_lists_the_open_plan_and_the_brand_invitation(client, org, published):
    grant(org.users["secretary"], org.a2, "secretary")  # A2 earned five stars
    body = _get(client, org.users["secretary"], reverse("dashboard")).content.decode()
    assert "制定整改计划：2026年11月考评" in body
    assert (
        reverse("rectification:plan", args=[RectificationPlan.objects.get(unit=org.a1).pk]) in body
    )
    assert "创建品牌：2026年11月考评获评五星" in body
    link = re.search(rf'href="(/brands/new/{org.a2.pk}/\?[^"]+)"', body).group(1)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    goal = re.search(r'<textarea name="goal"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert "打造特色鲜明的支部党建品牌" in goal
    results = re.search(r'<textarea name="results"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert "2026年11月考评获评5星" in results
    # the sibling's secretary sees neither
    other = _get(client, org.sec_b1, reverse("dashboard")).content.decode()
    assert "创建品牌：" not in other and "甲市网络运维党支部" not in other


def test_the_invitation_goes_once_a_brand_is_filed(client, org, published):
    from tests.flagship.conftest import build_brand

    grant(org.users["secretary"], org.a2, "secretary")
    build_brand(org.a2, org.users["secretary"], name="市场先锋")
    body = _get(client, org.users["secretary"], reverse("dashboard")).content.decode()
    assert "创建品牌：" not in body


def test_the_reviewer_has_a_queue_on_the_dashboard(client, org, plan_a1):
    sec = org.users["secretary"]
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    services.submit_plan(actor=sec, pk=plan_a1.pk)
    body = _get(client, org.users["general_branch_reviewer"], reverse("dashboard")).content
    assert "整改待审核" in body.decode()


def test_the_assessment_page_links_its_plan(client, org, plan_a1, plan_b1):
    url = reverse("evaluation:assessment", args=[plan_a1.assessment_id])
    body = _get(client, org.users["secretary"], url).content.decode()
    assert 'data-testid="rectification-link"' in body
    assert reverse("rectification:plan", args=[plan_a1.pk]) in body


def test_the_list_is_in_the_navigation_of_reviewers_only(client, org):
    for user, shown in ((org.users["city_reviewer"], True), (org.users["secretary"], False)):
        client.force_login(user)
        nav = client.get(reverse("dashboard")).content.decode()
        nav = nav[nav.index('id="mainnav"') :].split("</ul>")[0]
        assert (reverse("rectification:index") in nav) is shown


def test_a_five_star_result_links_the_pre_filled_brand_form(client, org, invitation_a2):
    url = reverse("evaluation:assessment", args=[invitation_a2.assessment_id])
    grant(org.users["secretary"], org.a2, "secretary")
    body = _get(client, org.users["secretary"], url).content.decode()
    assert 'data-testid="brand-invitation"' in body
    assert f"/brands/new/{org.a2.pk}/?goal=" in body
    # a reviewer reads the result but files no brand for the branch
    body = _get(client, org.users["city_reviewer"], url).content.decode()
    assert 'data-testid="brand-invitation"' not in body


def test_a_returned_plan_shows_the_return_above_its_form(client, org, plan_a1):
    """Who returned the plan, when (Asia/Shanghai) and the comment, escaped, above the form the
    secretary corrects (tests/returned.py); an open plan shows none."""
    sec, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]
    url = reverse("rectification:plan", args=[plan_a1.pk])
    client.force_login(sec)
    assert_shows_no_return(client.get(url).content.decode())
    services.save_plan(actor=sec, pk=plan_a1.pk, data=filled(plan_a1))
    services.submit_plan(actor=sec, pk=plan_a1.pk)
    services.return_plan(actor=reviewer, pk=plan_a1.pk, comment=HOSTILE)
    return_at(plan_a1)
    body = client.get(url).content.decode()
    assert_shows_return(body, reviewer)
    assert body.index('data-testid="return-comment"') < body.index('data-testid="plan-form"')
