"""免评 in Chromium, on a desktop and on a phone (issue #17 item 7): Zhao left A1 while its 2026
双百 assessment was open; the period page flags him 已离册 and offers 免评 with the day he left
as the reason; the secretary confirms, Zhao shows as 免评 with the reason, and the period —
everyone else settled — can be published."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from groups import services
from groups.models import MemberAssessment, MemberTable, PeriodStatus
from tests.clock import local
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.groups.test_member_services import scores
from tests.ledger.conftest import Roster

DECEMBER = local(2026, 12, 20, 10)


@pytest.mark.django_db(transaction=True)
def test_a_member_who_left_is_exempted_and_the_period_published(page, live_server, org, screen):
    secretary = org.users["secretary"]
    with time_machine.travel(DECEMBER, tick=False):
        roster = Roster(org)
        period = services.open_period(
            actor=secretary, branch=org.a1, table=MemberTable.DOUBLE_HUNDRED, year=2026
        )
        for a in period.assessments.exclude(member=roster.zhao):
            services.score_member(actor=secretary, assessment_id=a.pk, values=scores(a), done=True)
        roster.zhao.is_active, roster.zhao.left_on = False, datetime.date(2026, 12, 1)
        roster.zhao.save()
    with time_machine.travel(DECEMBER, tick=True):
        login(page, live_server, secretary.username)
        page.goto(f"{live_server.url}/groups/member-periods/{period.pk}/")
        left = page.get_by_test_id("left-members")
        expect(left).to_contain_text(roster.zhao.name)
        expect(page.get_by_test_id("period-publish")).to_be_disabled()
        assert_no_horizontal_scroll(page)
        expect(left.get_by_role("textbox")).to_have_value("2026-12-01 离开本支部")
        left.get_by_role("button", name="设为本期免评").click()
        expect(page.get_by_test_id("exempt-badge")).to_have_count(1)
        expect(page.get_by_test_id("member-rows")).to_contain_text("2026-12-01 离开本支部")
        expect(page.get_by_test_id("left-members")).to_have_count(0)
        assert_no_horizontal_scroll(page)
        page.get_by_test_id("period-publish").click()
        expect(page.get_by_test_id("period-status")).to_have_text("已公布")
    zhao = MemberAssessment.objects.get(member=roster.zhao)
    assert zhao.exempt and zhao.period.status == PeriodStatus.PUBLISHED
