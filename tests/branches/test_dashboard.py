"""The dashboard (工作台) of work, per role: a secretary's items due, a reviewer's queues, the
province's programme. Each test first sets up what could leak from the sibling subtree (city B,
branch B1), then asserts it does not. The clock is frozen at 00:30 on 14 December 2026 in
Shanghai (still 13 December in UTC), so every date shown must be the Shanghai one."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches import worklist
from brands.models import Status as BrandStatus
from evaluation.models import Assessment
from evaluation.models import Status as EvalStatus
from flagship.services import candidacy as candidacies
from tests.clock import local
from tests.evaluation.conftest import make_period
from tests.factories import OrgUnitFactory, grant
from tests.flagship.conftest import accept, advance, build_brand, new_cycle, publish_result
from workflow.services import notify, record_audit

NOW = local(2026, 12, 14, 0, 30)  # 2026-12-13 16:30 UTC


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _page(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _section(body, testid):
    """The HTML of one dashboard card (`data-testid`), up to the end of its section."""
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</section>", start)]


def _returned_brand(unit, secretary, comment, *, reviewer):
    app = build_brand(unit, secretary, status=BrandStatus.RETURNED, name=f"{unit.name}品牌")
    record_audit(
        actor=reviewer,
        obj=app,
        action="return",
        from_state=BrandStatus.IN_REVIEW,
        to_state=BrandStatus.RETURNED,
        comment=comment,
    )
    return app


def _returned_assessment(period, unit, comment, *, reviewer):
    a = Assessment.objects.get(period=period, unit=unit)
    Assessment.objects.filter(pk=a.pk).update(status=EvalStatus.RETURNED, revision=2)
    record_audit(
        actor=reviewer,
        obj=a,
        action="return",
        from_state=EvalStatus.SUBMITTED,
        to_state=EvalStatus.RETURNED,
        comment=comment,
    )
    return a


# --- branch secretary ----------------------------------------------------------------------


def test_secretary_sees_open_self_assessment_with_closing_date(client, org):
    period = make_period(org, name="2026年12月星级评定", days=(-5, 5))  # closes 12-19
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "2026年12月星级评定 自评" in section
    assert "12-19 截止" in section and "未填" in section
    assert f'href="{reverse("evaluation:fill", args=[a1.pk])}"' in section
    # B1's assessment of the same period is not A1's secretary's business
    b1 = Assessment.objects.get(period=period, unit=org.b1)
    assert reverse("evaluation:fill", args=[b1.pk]) not in section


def test_saved_draft_and_returned_assessment_say_so(client, org):
    saved = make_period(org, name="十二月六好考评", days=(-5, 5))
    returned = make_period(
        org, name="四季度星级考评", days=(-3, 20), starts=datetime.date(2026, 10, 1)
    )
    Assessment.objects.filter(period=saved, unit=org.a1).update(revision=1)
    _returned_assessment(
        returned, org.a1, "请补充三会一课佐证", reviewer=org.users["city_reviewer"]
    )
    _returned_assessment(returned, org.b1, "乙市支部的退回意见", reviewer=org.rev_b)
    section = _section(_page(client, org.users["secretary"]), "worklist")
    items = re.findall(r'data-testid="work-item".*?</a>', section, re.S)
    assert len(items) == 2
    # the returned one comes first, with the reviewer's comment and the status 已退回
    assert "四季度星级考评" in items[0] and "已退回" in items[0]
    assert "请补充三会一课佐证" in items[0]
    assert "2027-01-03 截止" in items[0]  # the next year's date carries its year
    assert "十二月六好考评" in items[1] and "草稿" in items[1] and "12-19 截止" in items[1]
    assert "乙市支部的退回意见" not in section


def test_closed_and_upcoming_periods_are_not_due(client, org):
    make_period(org, name="已截止的考评", days=(-10, -1), starts=datetime.date(2026, 11, 1))
    make_period(org, name="尚未开始的考评", days=(2, 10))
    body = _page(client, org.users["secretary"])
    assert "已截止的考评" not in body and "尚未开始的考评" not in body
    assert "暂无待办事项" in _section(body, "worklist")


def test_secretary_of_a1_sees_own_returned_brand_never_b1s(client, org):
    mine = _returned_brand(
        org.a1, org.users["secretary"], "品牌标识需更换", reviewer=org.users["city_reviewer"]
    )
    _returned_brand(org.b1, org.sec_b1, "乙市的退回意见", reviewer=org.rev_b)
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert f"品牌申报“{mine.name}”已退回修改" in section
    assert "品牌标识需更换" in section
    assert f'href="{reverse("brands:edit", args=[mine.pk])}"' in section
    assert "乙市的退回意见" not in section and org.b1.name not in section
    # and the other way round
    section_b = _section(_page(client, org.sec_b1), "worklist")
    assert "乙市的退回意見" not in section_b and "品牌标识需更换" not in section_b
    assert "乙市的退回意见" in section_b


def test_the_latest_return_comment_is_shown(client, org):
    app = _returned_brand(
        org.a1, org.users["secretary"], "第一次意见", reviewer=org.users["city_reviewer"]
    )
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        record_audit(
            actor=org.users["city_reviewer"],
            obj=app,
            action="return",
            from_state=BrandStatus.IN_REVIEW,
            to_state=BrandStatus.RETURNED,
            comment="第二次意见",
        )
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "第二次意见" in section and "第一次意见" not in section


def test_nothing_due_is_a_calm_empty_state(client, org):
    body = _page(client, org.users["secretary"])
    section = _section(body, "worklist")
    assert "暂无待办事项" in section
    assert 'data-testid="work-item"' not in section
    # a secretary only: no reviewer queues, no programme
    assert 'data-testid="review-queues"' not in body and 'data-testid="programme"' not in body


def test_unread_notifications_are_counted(client, org):
    notify([org.users["secretary"]] * 1, title="一", url="/")
    notify([org.users["secretary"]], title="二", url="/")
    notify([org.sec_b1], title="别人的", url="/")
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "未读通知 2 条" in section
    assert f'href="{reverse("workflow:notifications")}"' in section


def test_member_without_roles_sees_no_work_sections(client, org):
    body = _page(client, org.users["member"])
    for testid in ("worklist", "review-queues", "programme"):
        assert f'data-testid="{testid}"' not in body
    assert "您暂无管理角色" in body


# --- flagship steps ------------------------------------------------------------------------


@pytest.fixture
def eligible(org):
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        build_brand(unit, secretary)
        publish_result(unit, "six-good", 92)
        publish_result(unit, "brand-five-forces", 85)
    return org


def test_open_application_window_for_an_eligible_branch(client, eligible):
    org = eligible
    cycle = advance(org, new_cycle(org), "open_application")
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert f"{cycle.name} 旗舰品牌申报" in section and "可申报" in section
    assert "2027-03-31 截止" in section
    assert f'href="{reverse("flagship:apply", args=[cycle.pk, org.a1.pk])}"' in section
    assert reverse("flagship:apply", args=[cycle.pk, org.b1.pk]) not in section


@pytest.mark.parametrize("at_committee", [False, True])
def test_brands_and_flagship_share_one_read_of_the_secretarys_brands(eligible, at_committee):
    """The 工作台 reads the secretary's returned and built brands once (brands'
    `own_applications`) for brands' items and flagship's eligibility: the same items as
    each app reading its own, one query less."""
    from brands.selectors import worklist as brands
    from flagship.selectors import worklist as flagship

    org = eligible
    user = org.users["secretary"]
    cycle = advance(org, new_cycle(org), "open_application")
    returned = OrgUnitFactory(parent=org.general_a, code="R1")
    grant(user, returned, "secretary")
    _returned_brand(returned, user, "品牌意见", reviewer=org.users["city_reviewer"])
    if at_committee:  # a role at a unit holding no brand: B1's built brand is not theirs
        grant(user, org.city_a, "secretary")
        build_brand(OrgUnitFactory(parent=org.general_a, code="R2"), org.sec_b1)
    user.__dict__.pop("role_assignments", None)
    user.role_assignments  # noqa: B018 -- loaded once per request, as the page does

    with CaptureQueriesContext(connection) as apart:
        separate = [*brands.secretary_items(user), *flagship.secretary_items(user)]
    with CaptureQueriesContext(connection) as together:
        own = brands.own_applications(user)
        shared = [
            *brands.secretary_items(user, own),
            *flagship.secretary_items(user, built_unit_ids=own.built_unit_ids),
        ]
    assert shared == separate
    assert own.built_unit_ids == {org.a1.pk}
    titles = [i.title for i in shared]
    assert f"{cycle.name} 旗舰品牌申报" in titles and any("已退回修改" in t for t in titles)
    assert len(together.captured_queries) == len(apart.captured_queries) - 1


def test_no_application_item_for_a_branch_without_a_built_brand(client, org):
    advance(org, new_cycle(org), "open_application")
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "旗舰品牌申报" not in section and "暂无待办事项" in section


def test_returned_candidacy_shows_the_comment(client, eligible):
    org = eligible
    cycle = advance(org, new_cycle(org), "open_application")
    c = candidacies.save_candidacy_draft(actor=org.users["secretary"], cycle=cycle, unit=org.a1)
    candidacies.submit_candidacy(actor=org.users["secretary"], pk=c.pk)
    candidacies.return_candidacy(
        actor=org.users["general_branch_reviewer"], pk=c.pk, comment="实际做法写得太笼统"
    )
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "旗舰品牌申报已退回修改" in section and "实际做法写得太笼统" in section
    assert f'href="{reverse("flagship:edit", args=[c.pk])}"' in section
    assert "可申报" not in section  # filed already: no second "apply" item


def test_plan_and_summary_due_in_the_management_phase(client, eligible):
    org = eligible
    cycle = advance(org, new_cycle(org), "open_application")
    c = accept(org, cycle, org.a1)
    for name in ("publish_notice", "start_management"):
        cycle = advance(org, cycle, name)
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "两年创建计划、总结材料" in section and "2028-09-30 截止" in section
    assert f'href="{reverse("flagship:candidacy", args=[c.pk])}"' in section
    candidacies.file_plan(actor=org.users["secretary"], pk=c.pk, plan="两年计划")
    section = _section(_page(client, org.users["secretary"]), "worklist")
    assert "提交总结材料" in section and "两年创建计划" not in section


# --- reviewers -----------------------------------------------------------------------------


def _waiting_brands(parent, level, n, *, submitted, applicant, start=0):
    apps = []
    for i in range(start, start + n):
        unit = OrgUnitFactory(parent=parent, code=f"{parent.code}W{i}")
        app = build_brand(unit, applicant, status=BrandStatus.IN_REVIEW)
        app.current_level = level
        app.submitted_at = submitted + datetime.timedelta(days=i)
        app.save(update_fields=["current_level", "submitted_at"])
        apps.append(app)
    return apps


def _submitted_assessments(period, units, submitted):
    Assessment.objects.filter(period=period, unit__in=units).update(
        status=EvalStatus.SUBMITTED, submitted_at=submitted
    )


def _queue(body, label):
    section = _section(body, "review-queues")
    match = re.search(
        rf'<a [^>]*href="([^"]+)"[^>]*data-testid="queue">\s*<span>\s*'
        rf"<span[^>]*>{re.escape(label)}</span>(.*?)</a>",
        section,
        re.S,
    )
    assert match, f"{label} missing"
    count = re.search(r'data-testid="count">(\d+)<', match.group(2)).group(1)
    oldest = re.search(r"最早 (\d+) 天", match.group(2))
    return match.group(1), int(count), oldest and int(oldest.group(1))


def test_city_reviewer_counts_own_city_only_with_the_oldest_wait(client, org):
    # 23:00 on 1 December in Shanghai: 13 days before the frozen 14 December (12 in UTC)
    first = local(2026, 12, 1, 23)
    _waiting_brands(org.city_a, org.city_a, 3, submitted=first, applicant=org.users["secretary"])
    _waiting_brands(org.city_b, org.city_b, 4, submitted=local(2026, 11, 1), applicant=org.sec_b1)
    period = make_period(org, name="十二月考评")
    _submitted_assessments(period, [org.a1, org.a2], first)
    _submitted_assessments(period, [org.b1], local(2026, 10, 1))

    body = _page(client, org.users["city_reviewer"])
    assert _queue(body, "品牌申报待审") == (reverse("brands:queue"), 3, 13)
    assert _queue(body, "自评待审核") == (reverse("evaluation:review_queue"), 2, 13)
    assert 'data-testid="worklist"' not in body and 'data-testid="programme"' not in body

    body_b = _page(client, org.rev_b)
    assert _queue(body_b, "品牌申报待审")[1:] == (4, 43)
    assert _queue(body_b, "自评待审核")[1:] == (1, 74)


def test_general_branch_reviewer_counts_only_its_level(client, org):
    _waiting_brands(
        org.general_a,
        org.general_a,
        2,
        submitted=local(2026, 12, 10),
        applicant=org.users["secretary"],
    )
    _waiting_brands(
        org.city_a, org.city_a, 5, submitted=local(2026, 12, 10), applicant=org.users["secretary"]
    )
    body = _page(client, org.users["general_branch_reviewer"])
    assert _queue(body, "品牌申报待审")[1] == 2
    body = _page(client, org.users["city_reviewer"])
    assert _queue(body, "品牌申报待审")[1] == 5


def test_empty_queues_show_zero_without_a_wait(client, org):
    body = _page(client, org.users["city_reviewer"])
    href, count, oldest = _queue(body, "品牌申报待审")
    assert count == 0 and oldest is None


def test_flagship_candidacies_waiting_at_the_level(client, eligible):
    org = eligible
    cycle = advance(org, new_cycle(org), "open_application")
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        c = candidacies.save_candidacy_draft(actor=secretary, cycle=cycle, unit=unit)
        candidacies.submit_candidacy(actor=secretary, pk=c.pk)
    body = _page(client, org.users["general_branch_reviewer"])
    href, count, _oldest = _queue(body, f"{cycle.name} 旗舰品牌申报待审")
    assert href == reverse("flagship:queue", args=[cycle.pk]) and count == 1
    # city A's reviewer has nothing at its level yet (A1's waits at the general branch)
    assert "旗舰品牌申报待审" not in _section(
        _page(client, org.users["city_reviewer"]), "review-queues"
    )


# --- province and administrators -----------------------------------------------------------


def test_province_sees_the_programme(client, org):
    from brands.models import CoverageTarget

    CoverageTarget.objects.update_or_create(
        year=2026, defaults={"filed_rate": 70, "built_rate": 30}
    )
    build_brand(org.a1, org.users["secretary"], status=BrandStatus.BUILT)
    build_brand(org.a2, org.users["secretary"], status=BrandStatus.IMPLEMENTING)
    period = make_period(org, name="十二月星级考评", days=(-5, 5))
    _submitted_assessments(period, [org.a1], local(2026, 12, 10))
    cycle = new_cycle(org)
    for user in (org.users["province_reviewer"], org.users["admin"]):
        body = _page(client, user)
        section = _section(body, "programme")
        assert re.search(r'data-testid="filed-rate">66.7%', section)  # 2 of 3 branches
        assert re.search(r'data-testid="built-rate">33.3%', section)
        assert "2026 年目标 70%" in section and "2026 年目标 30%" in section
        assert "十二月星级考评" in section and "已提交 1/3" in section
        assert "2026-12-19 截止" in section
        assert f'href="{reverse("evaluation:period", args=[period.pk])}"' in section
        assert cycle.name in section and "筹备中" in section
        assert f'href="{reverse("brands:coverage")}"' in section
        assert 'data-testid="unit-counts"' in body and "管辖范围内的党组织" in body


def test_a_user_with_several_roles_sees_each_section(client, org):
    user = grant(org.users["city_reviewer"], org.a1, "secretary")
    make_period(org, name="十二月考评")
    body = _page(client, user)
    assert 'data-testid="worklist"' in body and 'data-testid="review-queues"' in body
    assert "十二月考评 自评" in _section(body, "worklist")
    assert 'data-testid="programme"' not in body
    dashboard = worklist.dashboard_for(user)
    assert dashboard.items and dashboard.queues and dashboard.programme is None


# --- constant query counts -----------------------------------------------------------------

#: What the dashboard may cost at most (session, user, roles, and each section's fixed reads;
#: every dashboard also asks once whether the user leads a party group: tests/groups/
#: test_leader_desk.py).
SECRETARY_MAX_QUERIES = 15  # + the ledger's roster; + rectification: plans, brand invitations
REVIEWER_MAX_QUERIES = 10  # + rectification: plans waiting for a decision


def _queries(client, user):
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm: content types, session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx.captured_queries)


def _items(client, user):
    return _page(client, user).count('data-testid="work-item"')


def _returned_in_new_period(org, unit, i):
    period = make_period(
        org, name=f"第{i}期", scope=org.city_a, starts=datetime.date(2026, 1 + i, 1)
    )
    return _returned_assessment(period, unit, f"意见{i}", reviewer=org.users["city_reviewer"])


def test_secretary_with_1_or_5_items_costs_the_same(client, org, django_assert_max_num_queries):
    user = org.users["secretary"]
    _returned_in_new_period(org, org.a1, 0)
    assert _items(client, user) == 1
    one = _queries(client, user)
    for i in range(1, 5):
        _returned_in_new_period(org, org.a1, i)
    assert _items(client, user) == 5
    five = _queries(client, user)
    assert one == five
    with django_assert_max_num_queries(SECRETARY_MAX_QUERIES):
        client.get(reverse("dashboard"))


def test_secretary_of_1_or_5_branches_costs_the_same(client, org, django_assert_max_num_queries):
    """Each branch with a returned brand and a returned self-assessment: 2 items vs 10."""
    user = org.users["secretary"]
    period = make_period(org, name="十二月考评", scope=org.city_a)
    _returned_assessment(period, org.a1, "意见", reviewer=org.users["city_reviewer"])
    _returned_brand(org.a1, user, "品牌意见", reviewer=org.users["city_reviewer"])
    assert _items(client, user) == 2
    one = _queries(client, user)
    later = make_period(org, name="一月考评", scope=org.city_a, starts=datetime.date(2027, 1, 1))
    later.assessments.filter(unit=org.a1).delete()  # A1's one item stays the December one
    for i in range(4):
        unit = OrgUnitFactory(parent=org.general_a, code=f"S{i}")
        grant(user, unit, "secretary")
        Assessment.objects.create(period=later, unit=unit, status=EvalStatus.DRAFT)
        _returned_assessment(later, unit, f"意见{i}", reviewer=org.users["city_reviewer"])
        _returned_brand(unit, user, f"品牌意见{i}", reviewer=org.users["city_reviewer"])
    user.__dict__.pop("role_assignments", None)
    assert _items(client, user) == 10
    assert _queries(client, user) == one
    with django_assert_max_num_queries(SECRETARY_MAX_QUERIES):
        client.get(reverse("dashboard"))


def _more_waiting(org, period, n, start):
    submitted = local(2026, 12, 1)
    _waiting_brands(
        org.city_a,
        org.city_a,
        n,
        submitted=submitted,
        applicant=org.users["secretary"],
        start=start,
    )
    units = [OrgUnitFactory(parent=org.city_a, code=f"E{start + i}") for i in range(n)]
    Assessment.objects.bulk_create(
        [
            Assessment.for_unit(
                period, u, org.city_a.pk, status=EvalStatus.SUBMITTED, submitted_at=submitted
            )
            for u in units
        ]
    )


def test_reviewer_with_2_or_20_waiting_costs_the_same(client, org, django_assert_max_num_queries):
    user = org.users["city_reviewer"]
    period = make_period(org, name="十二月考评")
    _more_waiting(org, period, 2, 0)
    body = _page(client, user)
    assert _queue(body, "品牌申报待审")[1] == 2 and _queue(body, "自评待审核")[1] == 2
    two = _queries(client, user)
    _more_waiting(org, period, 18, 2)
    body = _page(client, user)
    assert _queue(body, "品牌申报待审")[1] == 20 and _queue(body, "自评待审核")[1] == 20
    assert _queries(client, user) == two
    with django_assert_max_num_queries(REVIEWER_MAX_QUERIES):
        client.get(reverse("dashboard"))
