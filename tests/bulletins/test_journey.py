"""Browser journey (Playwright, system Chromium): the administrator watches a bulletin's progress
polled by htmx under the portal's CSP, downloads it, and generates another one now."""

import re

import pytest
from playwright.sync_api import expect

from bulletins import selectors, services
from bulletins.models import Bulletin, BulletinStatus
from tests.bulletins.conftest import make_world
from tests.e2e import conftest as e2e

# The browser fixtures of the e2e suite (system Chromium, CSP watch, live server over HTTP).
browser_type_launch_args = e2e.browser_type_launch_args
browser_context_args = e2e.browser_context_args
browser = e2e.browser
live_server = e2e.live_server
page = e2e.page
artifacts_dir = e2e.artifacts_dir
_plain_http = e2e._plain_http

pytestmark = pytest.mark.e2e


def test_admin_watches_progress_downloads_and_generates_now(page, live_server, org, artifacts_dir):
    make_world(org)  # applications, audit trail and results, so the files have figures
    month = selectors.previous_month()
    running = Bulletin.objects.create(
        month=month, scope=org.city_a, status=BulletinStatus.RUNNING, progress=40
    )
    e2e.login(page, live_server, "admin_p")

    page.locator("#mainnav").get_by_role("link", name="通报导出").click()
    expect(page.get_by_role("heading", name="通报导出")).to_be_visible()
    page.get_by_role("link", name=f"{month:%Y年%m月}").click()
    progress = page.get_by_test_id("progress")
    expect(progress).to_have_attribute("data-status", "running")
    expect(progress.locator("progress")).to_have_attribute("value", "40")

    # The worker finishes (here: the test generates it); the page, polling, shows the files.
    services.generate(running.pk)
    expect(progress).to_have_attribute("data-status", "done", timeout=10_000)
    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    assert re.fullmatch(
        r"\d{4}年\d{2}月品牌建设通报（甲市分公司党委）\.xlsx", download.value.suggested_filename
    )

    # Generate the province's bulletin now: form → confirmation → POST (eager: done at once).
    page.goto(f"{live_server.url}/bulletins/")
    form = page.get_by_test_id("generate-form")
    form.locator("input[name=month]").fill(f"{month:%Y-%m}")
    form.locator("select[name=scope]").select_option(label=org.province.name)
    form.get_by_role("button").click()
    expect(page.get_by_test_id("confirm")).to_contain_text(org.province.name)
    page.get_by_test_id("confirm-generate").click()
    expect(page.get_by_test_id("progress")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("download-docx")).to_be_visible()
    page.screenshot(path=artifacts_dir / "bulletin-detail.png", full_page=True)
    page.goto(f"{live_server.url}/bulletins/")
    expect(page.get_by_test_id("bulletins").locator("tbody tr")).to_have_count(2)
    page.screenshot(path=artifacts_dir / "bulletin-list.png", full_page=True)
