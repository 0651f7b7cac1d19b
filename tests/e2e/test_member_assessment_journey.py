"""党员考评 in Chromium, on a desktop and on a phone (issue #17 item 7): in December A1's secretary
opens the year's 双百 member assessment, scores Wang item by item and settles him (the other
members were settled already), publishes; Wang finds his own result on 我的, and another
member's result answers 403. Every instant is inside the year under test (2026)."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from groups import services
from groups.models import MemberAssessment, PeriodStatus
from tests.clock import local
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import UserFactory
from tests.groups.test_member_services import scores
from tests.ledger.conftest import Roster

DECEMBER = local(2026, 12, 20, 10)
TYPED = {
    "zzsz-1": "18",
    "xxjy-1": "17",
    "zzsh-1": "9",
    "zzsh-2": "5",
    "zzsh-3": "4",
    "gwlz-1": "22",
    "mfzy-1": "13",
    "mfzy-d1": "2",
}  # 88 earned, 2 off: 86


@pytest.mark.django_db(transaction=True)
def test_the_secretary_scores_and_publishes_and_a_member_sees_only_his_own(
    page, live_server, org, screen
):
    secretary = org.users["secretary"]
    with time_machine.travel(DECEMBER, tick=False):
        roster = Roster(org)
        roster.wang.user = UserFactory(username="wang")
        roster.wang.save()
    with time_machine.travel(DECEMBER, tick=True):
        # 1. The secretary opens the year's 双百 member assessment from the roster.
        login(page, live_server, secretary.username)
        page.goto(f"{live_server.url}/ledger/branch/{org.a1.pk}/")
        page.get_by_test_id("member-assessments-link").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("党员考评")
        assert_no_horizontal_scroll(page)
        page.get_by_test_id("member-period-open").click()
        rows = page.get_by_test_id("member-rows")
        expect(rows.get_by_role("link")).to_have_count(3)
        expect(rows).to_contain_text("139****6666")
        expect(rows).not_to_contain_text("13955556666")
        assert_no_horizontal_scroll(page)
        for a in MemberAssessment.objects.exclude(member=roster.wang):  # the others, done
            services.score_member(actor=secretary, assessment_id=a.pk, values=scores(a), done=True)

        # 2. Wang, item by item, settled.
        rows.get_by_role("link", name=re.compile(roster.wang.name)).click()
        form = page.get_by_test_id("member-score-form")
        for code, points in TYPED.items():
            form.get_by_test_id(f"item-{code}").locator("input[type=number]").fill(points)
        assert_no_horizontal_scroll(page)
        page.get_by_test_id("member-done").click()
        expect(page.get_by_test_id("member-total")).to_contain_text("86.00")
        page.get_by_role("link", name="返回本次考评").click()

        # 3. Published to the members.
        page.get_by_test_id("period-publish").click()
        expect(page.get_by_test_id("period-status")).to_have_text("已公布")
        wang = MemberAssessment.objects.get(member=roster.wang)
        assert wang.period.status == PeriodStatus.PUBLISHED
        other = MemberAssessment.objects.get(member=roster.zhao)

        # 4. Wang finds his own result on 我的, and nobody else's.
        page.context.clear_cookies()
        login(page, live_server, "wang")
        page.goto(f"{live_server.url}/groups/me/")
        results = page.get_by_test_id("me-results")
        expect(results).to_contain_text("86.00")
        assert_no_horizontal_scroll(page)
        results.get_by_role("link").first.click()
        expect(page.get_by_test_id("member-total")).to_contain_text("86.00")
        expect(page.get_by_test_id("member-score-form")).to_have_count(0)
        assert_no_horizontal_scroll(page)
        response = page.goto(f"{live_server.url}/groups/member-assessments/{other.pk}/")
        assert response.status == 403
