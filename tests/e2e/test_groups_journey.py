"""Party groups in Chromium, on a desktop and on a phone (issue #17, Scale and checks): in the
quarter, 李明 — leader of 运维一组, no role in the portal — records his group's meeting on the
ledger's form from his 工作台 card and files a 五个一 item for 王芳; at the start of the next
quarter A1's secretary scores the quarter (the leader's meeting and item prefilled), publishes
it and runs the half-yearly review of 王芳's pioneer post; 王芳 then finds her group's result and
her commended post on her own page, and another group's quarter answers 403.

Every instant is derived from the quarter under test (Q1 2026): the leader works on the 10th
of its last month, the secretary on the first day of the next quarter (when results publish)."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from groups import services
from groups.models import AssessmentStatus, GroupAssessment, InnovationItem, PostReview
from groups.quarters import Quarter
from ledger.models import MeetingRecord, RecordStatus
from tests.clock import local
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import UserFactory
from tests.ledger.conftest import Roster

Q1 = Quarter(2026, 1)
LAST_MONTH = Q1.opens_on  # the first day of the quarter's last month
LEADER_WORKS = local(LAST_MONTH.year, LAST_MONTH.month, 10, 10)
HELD = LEADER_WORKS.replace(day=6, hour=14, minute=30)
PUBLISHING = local(Q1.publishes_from.year, Q1.publishes_from.month, Q1.publishes_from.day, 9)
HALF = f"{Q1.year}H1"  # the half year the post is reviewed for, reviewable from April
TYPED = {"zzzy-1": "12", "dfsj-1": "10", "dygl-1": "13", "xcbd-1": "6", "sjkh-1": "14"}
ITEM = "配线架标签统一改造"
POST = "机房巡检先锋岗"


def _world(org):
    """A1 with two groups (Li leads 运维一组), accounts for Li and Wang, Wang's post for the
    first half year — named by the secretary through the service."""
    roster = Roster(org)
    roster.li.user = UserFactory(username="li_leader", full_name=roster.li.name)
    roster.li.save()
    roster.wang.user = UserFactory(username="wang", full_name=roster.wang.name)
    roster.wang.save()
    post = services.name_post(
        actor=org.users["secretary"],
        branch=org.a1,
        member=roster.wang,
        kind="post",
        title=POST,
        commitment="每周巡检机房，隐患当日闭环",
        term_start=datetime.date(Q1.year, 1, 1),
        term_end=datetime.date(Q1.year, 6, 30),
    )
    return roster, post


def _leader_records_and_files(page, live_server, roster):
    """Li's 工作台 → the ledger's form for his group → the 五个一 form, from his phone."""
    login(page, live_server, "li_leader")
    desk = page.get_by_test_id("group-desk")
    expect(desk).to_contain_text(roster.g1.name)
    expect(desk.get_by_test_id("desk-meetings")).to_contain_text("还需召开 1 次")
    assert_no_horizontal_scroll(page)
    desk.get_by_test_id("desk-meetings").click()
    picker = page.get_by_test_id("template-pick")
    picker.get_by_role("link", name=re.compile("^党小组会")).click()
    form = page.get_by_test_id("record-form")
    expect(form).to_be_visible()
    assert_no_horizontal_scroll(page)
    form.locator("[name=held_at]").fill(f"{HELD:%Y-%m-%dT%H:%M}")
    form.locator("[name=topic]").fill("学习安全生产新规")
    form.locator("[name=host]").select_option(label=roster.li.name)
    for box in form.locator("[name=steps_done]").all():
        box.check()
    attendance = form.get_by_test_id("attendance")  # his group only, everyone present
    expect(attendance).to_contain_text(roster.wang.name)
    expect(attendance).not_to_contain_text(roster.zhao.name)
    form.locator("[name=minutes]").fill("逐条学习新规，结合机房值守讨论落实措施。")
    page.get_by_test_id("record-submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("党小组会")
    expect(page.locator("main")).to_contain_text("已记录")
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server.url}/groups/me/")
    page.locator("main").get_by_role("link", name="申报").click()
    form = page.locator("main form")
    form.locator("select[name=member]").select_option(label=roster.wang.name)
    form.locator("select[name=kind]").select_option(index=1)
    form.locator("input[name=title]").fill(ITEM)
    form.locator("textarea[name=description]").fill("统一标签格式，查线时间缩短一半")
    assert_no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("五个一项目已申报")
    page.goto(f"{live_server.url}/")  # the item now waits on his card for the group's review
    expect(page.get_by_test_id("desk-items")).to_contain_text(ITEM)
    expect(page.get_by_test_id("desk-meetings")).to_contain_text("已按期召开")
    assert_no_horizontal_scroll(page)


def _secretary_scores_and_reviews(page, live_server, org, roster, post):
    login(page, live_server, org.users["secretary"].username)
    page.goto(f"{live_server.url}/groups/branch/{org.a1.pk}/assessments/")
    page.get_by_test_id("assessment-start").click()
    rows = page.get_by_test_id("assessment-rows")
    expect(rows.get_by_role("link")).to_have_count(2)
    rows.get_by_role("link", name=re.compile(roster.g1.name)).click()
    form = page.get_by_test_id("assessment-form")
    meetings = form.get_by_test_id("item-shyk-1")  # the leader's record counts
    expect(meetings.get_by_test_id("basis")).to_contain_text("已开 1 次")
    expect(form.get_by_test_id("item-hdzz-1").locator("input[type=number]")).to_have_value("2.00")
    assert_no_horizontal_scroll(page)
    for code, points in TYPED.items():
        form.get_by_test_id(f"item-{code}").locator("input[type=number]").fill(points)
    page.get_by_test_id("assessment-submit").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("已提交公布")
    assert_no_horizontal_scroll(page)

    # the half-yearly pioneer-post review, from the branch's posts
    page.goto(f"{live_server.url}/groups/branch/{org.a1.pk}/posts/")
    page.get_by_test_id("posts").get_by_role("link", name=re.compile(POST)).click()
    review = page.get_by_test_id("review-form")
    review.locator("select[name=half]").select_option(HALF)
    review.locator("textarea[name=department_opinion]").fill("巡检到位，隐患闭环及时")
    review.locator("textarea[name=committee_opinion]").fill("同意表扬，续任下半年")
    review.locator("input[name=led_by_example]").check()
    review.locator("select[name=outcome]").select_option("commend")
    assert_no_horizontal_scroll(page)
    review.get_by_role("button").click()
    expect(page.get_by_test_id("reviews")).to_contain_text(HALF)
    expect(page.get_by_test_id("post-term")).to_contain_text(f"{Q1.year}-12-31")
    assert_no_horizontal_scroll(page)


def _publish(secretary, assessment):
    values = {
        f"score_{s.indicator_id}": "10"
        for s in assessment.scores.select_related("indicator")
        if s.system_points is None and s.indicator.kind != "veto"
    }
    services.submit_scores(actor=secretary, assessment_id=assessment.pk, values=values)


@pytest.mark.django_db(transaction=True)
def test_a_leader_records_the_secretary_publishes_and_reviews_a_member_sees_her_own(
    page, live_server, org, screen
):
    with time_machine.travel(LEADER_WORKS, tick=False):
        roster, post = _world(org)
    with time_machine.travel(LEADER_WORKS, tick=True):
        _leader_records_and_files(page, live_server, roster)
    record = MeetingRecord.objects.get(party_group=roster.g1)
    assert record.status == RecordStatus.RECORDED and record.created_by.username == "li_leader"
    item = InnovationItem.objects.get(title=ITEM)
    assert (item.member, item.party_group) == (roster.wang, roster.g1)

    with time_machine.travel(PUBLISHING, tick=True):
        page.context.clear_cookies()
        _secretary_scores_and_reviews(page, live_server, org, roster, post)
        g1 = GroupAssessment.objects.get(group=roster.g1)
        g2 = GroupAssessment.objects.get(group=roster.g2)
        assert g1.status == AssessmentStatus.SUBMITTED
        assert PostReview.objects.get(post=post).outcome == "commend"
        _publish(org.users["secretary"], g2)  # published too: still not hers to read

        # Wang sees her own group's result and her post, nobody else's
        page.context.clear_cookies()
        login(page, live_server, "wang")
        page.goto(f"{live_server.url}/groups/me/")
        results = page.get_by_test_id("me-group-results")
        expect(results).to_contain_text(f"{g1.total}")
        expect(page.get_by_test_id("me-posts")).to_contain_text(POST)
        assert_no_horizontal_scroll(page)
        results.get_by_role("link").first.click()
        expect(page.get_by_test_id("assessment-total")).to_contain_text(f"{g1.total:.2f}")
        expect(page.get_by_test_id("assessment-form")).to_have_count(0)
        assert_no_horizontal_scroll(page)
        response = page.goto(f"{live_server.url}/groups/assessments/{g2.pk}/")
        assert response.status in (403, 404)
