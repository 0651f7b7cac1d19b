"""The annual work list on a desk and on a phone: the secretary opens the branch's list (made on
first opening), reads each task's status from the ledger, names a responsible member on a
task's page, and nothing is wider than the screen. Dates come from today: the list is this
year's."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ledger.models import WorkTask
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import MemberFactory

pytestmark = pytest.mark.e2e


def test_the_secretary_keeps_the_work_list_on_any_screen(page, live_server, org, screen):
    member = MemberFactory(branch=org.a1, name="王芳")
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/ledger/branch/{org.a1.pk}/tasks/")
    year = timezone.localdate().year
    expect(page.get_by_test_id("years")).to_be_visible()
    expect(page.get_by_test_id("month-12")).to_be_visible()
    assert_no_horizontal_scroll(page)
    task = WorkTask.objects.get(branch=org.a1, year=year, template_key="life-meeting")
    row = page.get_by_test_id(f"task-{task.pk}")
    expect(row).to_contain_text("组织生活会")
    row.get_by_role("link").first.click()
    expect(page.get_by_test_id("assign-form")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_label("责任人").select_option(label="王芳")
    page.get_by_test_id("assign-form").get_by_role("button").click()
    expect(page.get_by_test_id("responsible")).to_have_text("王芳")
    task.refresh_from_db()
    assert task.responsible == member
