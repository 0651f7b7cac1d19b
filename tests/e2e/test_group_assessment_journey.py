"""党小组季度考评 in Chromium, on a desktop and on a phone (issue #17): at the start of the next
quarter A1's secretary opens the first quarter for her groups, finds the group meetings and the
五个一 items prefilled, types the rest for 运维一组 and publishes it; Wang, a member of that
group, finds the result from 我的 → his group, and cannot open the other group's quarter.

Every instant is derived from the quarter under test (Q1 2026): the meetings and the item are
in January–March, the journey runs on the first day of the next quarter."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from groups import services
from groups.models import AssessmentStatus, GroupAssessment
from groups.quarters import Quarter
from tests.clock import local
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import UserFactory
from tests.ledger.conftest import Roster
from tests.ledger.world import held

Q1 = Quarter(2026, 1)
PUBLISHING = local(Q1.publishes_from.year, Q1.publishes_from.month, Q1.publishes_from.day, 9)
TYPED = {"zzzy-1": "12", "dfsj-1": "10", "dygl-1": "13", "xcbd-1": "6", "sjkh-1": "14"}


def _on(day: datetime.date, hour=10):
    return local(day.year, day.month, day.day, hour)


@pytest.mark.django_db(transaction=True)
def test_the_secretary_scores_the_quarter_and_a_member_sees_his_groups_result(
    page, live_server, org, screen
):
    secretary = org.users["secretary"]
    with time_machine.travel(_on(Q1.opens_on), tick=False):
        roster = Roster(org)
        roster.wang.user = UserFactory(username="wang")
        roster.wang.save()
        for month in (1, 2):
            held(
                org.a1,
                "group-meeting",
                _on(datetime.date(2026, month, 10)),
                user=secretary,
                group=roster.g1,
            )
        services.file_item(
            actor=secretary,
            member=roster.wang,
            kind="improvement",
            title="巡检路线优化",
            description="缩短巡检时间",
        )
    with time_machine.travel(PUBLISHING, tick=True):
        # 1. The secretary opens the quarter for her groups.
        login(page, live_server, secretary.username)
        page.goto(f"{live_server.url}/groups/branch/{org.a1.pk}/assessments/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("党小组季度考评")
        page.get_by_test_id("assessment-start").click()
        rows = page.get_by_test_id("assessment-rows")
        expect(rows.get_by_role("link")).to_have_count(2)
        expect(rows).to_contain_text("草稿")
        assert_no_horizontal_scroll(page)

        # 2. 运维一组: meetings and 五个一 prefilled, the rest typed, published.
        rows.get_by_role("link", name=re.compile(roster.g1.name)).click()
        form = page.get_by_test_id("assessment-form")
        meetings = form.get_by_test_id("item-shyk-1")
        expect(meetings.get_by_test_id("basis")).to_contain_text("应开党小组会 3 次，已开 2 次")
        expect(meetings.locator("input[type=number]")).to_have_value("13.33")
        expect(form.get_by_test_id("item-hdzz-1").locator("input[type=number]")).to_have_value(
            "2.00"
        )
        assert_no_horizontal_scroll(page)
        for code, points in TYPED.items():
            form.get_by_test_id(f"item-{code}").locator("input[type=number]").fill(points)
        page.get_by_test_id("assessment-submit").click()
        expect(page.get_by_test_id("assessment-status")).to_have_text("已提交公布")
        expect(page.get_by_test_id("assessment-total")).to_contain_text("70.33")
        assert_no_horizontal_scroll(page)
        g1 = GroupAssessment.objects.get(group=roster.g1)
        assert g1.status == AssessmentStatus.SUBMITTED
        g2 = GroupAssessment.objects.get(group=roster.g2)

        # 3. Wang, of 运维一组, finds the result from his own page.
        page.context.clear_cookies()
        login(page, live_server, "wang")
        page.goto(f"{live_server.url}/groups/me/")
        page.get_by_role("link", name=roster.g1.name).click()
        results = page.get_by_test_id("group-results")
        expect(results).to_contain_text("70.33")
        assert_no_horizontal_scroll(page)
        results.get_by_role("link").first.click()
        expect(page.get_by_test_id("assessment-total")).to_contain_text("70.33")
        expect(page.get_by_test_id("assessment-form")).to_have_count(0)
        assert_no_horizontal_scroll(page)
        # never another group's quarter (still a draft, and not his group)
        response = page.goto(f"{live_server.url}/groups/assessments/{g2.pk}/")
        assert response.status == 403


@pytest.mark.django_db(transaction=True)
def test_the_branch_proposes_a_brand_group_and_the_city_confirms_it(page, live_server, org, screen):
    """品牌党小组 at the year's end: from the published quarter, the secretary proposes 运维一组
    on her quarterly page; the city reviewer confirms it from the queue; the group's brand card
    shows the honour."""
    secretary = org.users["secretary"]
    q4 = Quarter(2026, 4)
    with time_machine.travel(_on(q4.publishes_from), tick=False):
        roster = Roster(org)
        services.start_quarter(actor=secretary, branch=org.a1, quarter=q4)
        for a in GroupAssessment.objects.filter(branch=org.a1):
            values = {
                f"score_{s.indicator_id}": "10"
                for s in a.scores.select_related("indicator")
                if s.system_points is None and s.indicator.kind != "veto"
            }
            services.submit_scores(actor=secretary, assessment_id=a.pk, values=values)
    with time_machine.travel(_on(q4.publishes_from + datetime.timedelta(days=4)), tick=True):
        login(page, live_server, secretary.username)
        page.goto(f"{live_server.url}/groups/branch/{org.a1.pk}/assessments/?q=2026-4")
        form = page.get_by_test_id("nominate-form")
        form.locator("select[name=group]").select_option(str(roster.g1.pk))
        form.locator("textarea[name=reason]").fill("政治表现突出，全年小组会按期召开")
        assert_no_horizontal_scroll(page)
        form.get_by_role("button").click()
        expect(page.get_by_test_id("nominations")).to_contain_text("支部推荐")

        page.context.clear_cookies()
        login(page, live_server, org.users["city_reviewer"].username)
        page.goto(f"{live_server.url}/groups/brand-groups/")
        pending = page.get_by_test_id("pending-nominations")
        expect(pending).to_contain_text(roster.g1.name)
        assert_no_horizontal_scroll(page)
        pending.get_by_role("button").first.click()
        expect(page.get_by_test_id("pending-nominations")).to_contain_text("暂无待确认的推荐")

        page.goto(f"{live_server.url}/groups/group/{roster.g1.pk}/")
        expect(page.get_by_test_id("brand-group-honours")).to_contain_text("2026年度品牌党小组")
        assert_no_horizontal_scroll(page)
