"""Rectification journey in Chromium (issue #18, item 2), at 1366×900 and on a 390 px phone:
A1's November result is tier 3, so a rectification plan is open. A1's secretary opens it from
the dashboard, finds the problems pre-filled from the items lost, writes the measures and
submits; the general branch's reviewer (A1's first approval level) finds it in the list of
plans waiting for them and approves; the secretary reports completion with an evidence file;
the reviewer accepts and the plan is closed (闭环).

The clock ticks from 20 November 2026 10:00 in Shanghai; the result is published off screen
through the services (the evaluation journey covers that page)."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from rectification.models import PlanStatus, RectificationPlan
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.evaluation.conftest import make_period, publish_all
from tests.rectification.conftest import FRACTIONS, PUBLISHED_ON
from tests.rectification.test_services import PDF

MEASURES = "每月5日前召开支委会，会后当天整理纪要并上传台账"


def _dashboard_item(page, live_server, text):
    page.goto(f"{live_server.url}/")
    item = page.get_by_test_id("worklist").get_by_test_id("work-item").filter(has_text=text)
    expect(item).to_have_count(1)
    assert_no_horizontal_scroll(page)
    item.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("整改计划")
    assert_no_horizontal_scroll(page)


def _as(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user.username)


@pytest.mark.django_db(transaction=True)
def test_a_tier3_branch_rectifies_and_its_committee_closes_the_loop(
    page, live_server, org, settings, tmp_path, screen
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(PUBLISHED_ON, tick=True):
        publish_all(org, make_period(org, name="2026年11月考评"), fractions=FRACTIONS)
        plan = RectificationPlan.objects.get(unit=org.a1)
        secretary, reviewer = org.users["secretary"], org.users["general_branch_reviewer"]

        # 1. The secretary opens the plan from the dashboard and files it.
        _as(page, live_server, secretary)
        _dashboard_item(page, live_server, "制定整改计划")
        expect(page.get_by_test_id("deadline")).to_have_text("2026-12-20")
        page.screenshot(path=f"test-artifacts/rectification-plan-{screen}.png", full_page=True)
        form = page.get_by_test_id("plan-form")
        expect(form.locator("[name=problems]")).to_have_value(re.compile(r"\S+ · \S+："))
        form.locator("[name=measures]").fill(MEASURES)
        form.locator("[name=responsible]").fill("张书记")
        form.locator("[name=target_date]").fill(f"{datetime.date(2026, 12, 15):%Y-%m-%d}")
        page.get_by_test_id("submit-plan").click()
        expect(page.get_by_test_id("plan-status")).to_have_text("待审核")
        expect(page.get_by_test_id("measures")).to_contain_text(MEASURES)
        assert_no_horizontal_scroll(page)

        # 2. The general branch's reviewer finds it waiting and approves it.
        _as(page, live_server, reviewer)
        page.get_by_test_id("review-queues").get_by_test_id("queue").filter(
            has_text="整改待审核"
        ).click()
        rows = page.get_by_test_id("plan-row")
        expect(rows).to_have_count(1)
        assert_no_horizontal_scroll(page)
        rows.get_by_role("link", name=org.a1.name).click()
        page.get_by_test_id("decision-form").locator("[name=comment]").fill("措施具体，同意")
        page.get_by_test_id("act-approve").click()
        expect(page.get_by_test_id("plan-status")).to_have_text("整改中")
        expect(page.get_by_test_id("timeline")).to_contain_text("措施具体，同意")
        assert_no_horizontal_scroll(page)

        # 3. The secretary reports completion with an evidence file.
        _as(page, live_server, secretary)
        _dashboard_item(page, live_server, "报告整改完成")
        report = page.get_by_test_id("report-form")
        report.locator("[name=completion]").fill("11月、12月支委会均按时召开，纪要已上传台账")
        evidence = tmp_path / "支委会纪要.pdf"
        evidence.write_bytes(PDF)
        report.locator("input[name=evidence]").set_input_files([evidence])
        page.get_by_test_id("report-submit").click()
        expect(page.get_by_test_id("plan-status")).to_have_text("待验收")
        expect(page.get_by_test_id("evidence")).to_contain_text("支委会纪要.pdf")
        assert_no_horizontal_scroll(page)

        # 4. The reviewer accepts: the loop is closed.
        _as(page, live_server, reviewer)
        page.goto(f"{live_server.url}/rectification/?status=waiting")
        page.get_by_test_id("plan-row").get_by_role("link", name=org.a1.name).click()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_test_id("act-accept").click()
        expect(page.get_by_test_id("plan-status")).to_have_text("已销号")
        assert_no_horizontal_scroll(page)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.evidence.count() == 1
