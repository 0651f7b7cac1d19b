"""The 1+N cluster and the pairing follow-up in the browser (issue #18, item 3), at 1366×900
and at 390×844 with nothing wider than the screen: a committee secretary gathers a branch's
brand into the committee's cluster and the branch's brand page shows it; a provincial brand's
secretary records a follow-up on its pairing and the partner branch's page shows it with the
partner's own progress; the pairing form finds a partner by code beyond the listed ones."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Role
from brands import lifecycle
from brands.models import Level, Status
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import BrandApplicationFactory, OrgUnitFactory, UserFactory, grant


def _logout(page):
    page.context.clear_cookies()


def test_committee_gathers_a_branch_brand_and_the_branch_page_shows_it(
    page, live_server, org, screen
):
    grant(UserFactory(username="sec_city_a", full_name="孙党委书记"), org.city_a, Role.SECRETARY)
    lead = BrandApplicationFactory(
        unit=org.city_a,
        applicant=org.users["secretary"],
        status=Status.IMPLEMENTING,
        name="甲市红色矩阵",
    )
    member = BrandApplicationFactory(
        unit=org.a1, applicant=org.users["secretary"], status=Status.BUILT, name="红色引擎"
    )

    # The committee's secretary opens the committee's own brand and gathers A1's brand.
    login(page, live_server, "sec_city_a")
    page.goto(f"{live_server.url}/brands/{lead.pk}/")
    cluster = page.get_by_test_id("cluster")
    expect(cluster).to_contain_text("尚未纳入品牌")
    assert_no_horizontal_scroll(page)
    page.get_by_label("纳入品牌").select_option(label=f"{org.a1.name} · 红色引擎")
    page.get_by_role("button", name="纳入集群").click()
    expect(page.locator(".alert-success")).to_contain_text("品牌已纳入“1+N”品牌集群")
    expect(page.get_by_test_id("cluster-members")).to_contain_text("红色引擎")
    expect(page.get_by_test_id("cluster")).to_contain_text("1 + 1")
    assert_no_horizontal_scroll(page)

    # The branch's secretary sees it on the branch's brand page and on its showcase page.
    _logout(page)
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/brands/{member.pk}/")
    expect(page.get_by_test_id("cluster-membership")).to_contain_text(
        f"属于 {org.city_a.name} 的1+N品牌集群"
    )
    expect(page.get_by_test_id("cluster-membership")).to_contain_text("甲市红色矩阵")
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/brands/showcase/{member.pk}/")
    expect(page.get_by_test_id("cluster-membership")).to_contain_text("甲市红色矩阵")
    assert_no_horizontal_scroll(page)


def test_pairing_follow_up_shows_on_the_partner_page(page, live_server, org, screen):
    today = timezone.localdate()
    holder = BrandApplicationFactory(
        unit=org.a1,
        applicant=org.users["secretary"],
        status=Status.BUILT,
        level=Level.PROVINCIAL,
        name="红色引擎",
    )
    lifecycle.add_pairing(
        actor=org.users["secretary"],
        application=holder,
        partner=org.a2,
        started_on=today - datetime.timedelta(days=30),
    )
    BrandApplicationFactory(
        unit=org.a2, applicant=org.users["secretary"], status=Status.IN_REVIEW, name="市场尖兵"
    )

    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/brands/{holder.pk}/life/#pairings")
    pairing = page.get_by_test_id("pairing")
    expect(pairing.get_by_test_id("partner-stage")).to_have_text("已申报品牌")
    pairing.get_by_label("跟进情况").fill("上门指导提炼品牌理念")
    pairing.get_by_role("button", name="记录跟进").click()
    expect(page.locator(".alert-success")).to_contain_text("帮扶跟进已记录")
    expect(page.get_by_test_id("pairing-notes")).to_contain_text("上门指导提炼品牌理念")
    assert_no_horizontal_scroll(page)

    # The partner branch's own page (the city's reviewer sees it) shows the pairing.
    _logout(page)
    login(page, live_server, "rev_a")
    page.goto(f"{live_server.url}/org/{org.a2.pk}/")
    card = page.get_by_test_id("unit-pairings")
    expect(card).to_contain_text("红色引擎")
    expect(card.get_by_test_id("partner-stage")).to_have_text("已申报品牌")
    expect(card.get_by_test_id("pairing-notes")).to_contain_text("上门指导提炼品牌理念")
    assert_no_horizontal_scroll(page)


def test_pairing_partner_found_by_code_keeps_what_was_typed(
    page, live_server, org, screen, monkeypatch
):
    monkeypatch.setattr(lifecycle, "PARTNERS_SHOWN", 1)  # the select lists A2 only
    holder = BrandApplicationFactory(
        unit=org.a1,
        applicant=org.users["secretary"],
        status=Status.BUILT,
        level=Level.PROVINCIAL,
        name="红色引擎",
    )
    far = OrgUnitFactory(parent=org.city_a, name="甲市客服部党支部", code="AX009")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/brands/{holder.pk}/life/#pairings")
    form = page.get_by_test_id("pairing-form")
    expect(page.get_by_test_id("shortlist-more")).to_be_visible()
    form.get_by_label("结对日期").fill(yesterday)
    form.get_by_label("帮扶内容").fill("共建客服品牌")
    form.get_by_role("searchbox").fill("ax009")
    form.get_by_role("button", name="查找").click()
    form = page.get_by_test_id("pairing-form")
    expect(form.get_by_label("结对日期")).to_have_value(yesterday)
    expect(form.get_by_label("帮扶内容")).to_have_value("共建客服品牌")
    assert_no_horizontal_scroll(page)
    form.get_by_label("结对支部").select_option(label=far.name)
    # Enter in the date field registers the pairing (the search button comes first in the form)
    form.get_by_label("结对日期").press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("结对帮扶已登记")
    expect(page.get_by_test_id("pairings")).to_contain_text(far.name)
    assert_no_horizontal_scroll(page)
