"""Foundation journey: sign in, see one's own part of the org tree, be kept out of the rest."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login


def _assert_assets_loaded(page):
    # Bootstrap's CSS and JS came from /static/vendor/ (no CDN) and were applied.
    assert page.locator("link[rel=stylesheet][href*='/static/vendor/bootstrap/']").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    assert page.evaluate("typeof window.bootstrap") == "object"


def test_secretary_sees_dashboard_and_own_branch(page, live_server, org, artifacts_dir):
    login(page, live_server, "sec_a1")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile("^工作台"))
    roles = page.locator(".card", has=page.get_by_text("我的角色", exact=True))
    expect(roles).to_be_visible()
    expect(roles.get_by_role("link", name=org.a1.name)).to_be_visible()
    # the secretary's work, not counts of organisations: nothing is due in this province
    expect(page.get_by_test_id("worklist")).to_be_visible()
    expect(page.get_by_test_id("worklist")).to_contain_text("暂无待办事项")
    expect(page.get_by_text("管辖范围内的党组织")).to_have_count(0)
    _assert_assets_loaded(page)
    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=True)

    page.locator("#mainnav").get_by_role("link", name="组织机构").click()
    expect(page).to_have_url(f"{live_server.url}/org/")
    expect(page.get_by_role("heading", name="组织机构")).to_be_visible()
    table = page.locator("table")
    expect(table.get_by_role("link", name=org.a1.name)).to_be_visible()
    expect(table.get_by_role("link", name=org.group_a1.name)).to_be_visible()
    # units outside the secretary's subtree are not listed
    expect(table.get_by_text(org.b1.name)).to_have_count(0)
    expect(table.get_by_text(org.a2.name)).to_have_count(0)

    table.get_by_role("link", name=org.a1.name).click()
    expect(page).to_have_url(f"{live_server.url}/org/{org.a1.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(org.a1.name)
    expect(page.locator(".breadcrumb")).to_contain_text(org.general_a.name)
    expect(page.get_by_text("基本信息")).to_be_visible()
    expect(page.locator("dd", has_text=org.a1.code)).to_be_visible()
    expect(page.get_by_text("下级组织")).to_be_visible()
    expect(page.get_by_role("link", name=org.group_a1.name)).to_be_visible()


def test_other_city_secretary_gets_403_page(page, live_server, org):
    login(page, live_server, "sec_b1")
    expect(page).to_have_url(f"{live_server.url}/")

    response = page.goto(f"{live_server.url}/org/{org.a1.pk}/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="您没有权限访问此页面")).to_be_visible()
    expect(page.get_by_text(org.a1.name)).to_have_count(0)
    # the error page keeps the portal's layout: navigation and a way back
    expect(page.locator("nav.navbar")).to_contain_text("品牌建设平台")
    expect(page.locator("#mainnav").get_by_role("link", name="工作台")).to_be_visible()
    expect(page.get_by_role("link", name="返回工作台")).to_be_visible()
    _assert_assets_loaded(page)


def test_repeated_wrong_password_locks_the_login(page, live_server, org):
    for _ in range(4):
        login(page, live_server, "sec_a1", "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")

    login(page, live_server, "sec_a1", "wrong-password")

    expect(page.get_by_test_id("locked-out")).to_contain_text("登录失败次数过多")
    # even the right password is refused while the lock holds
    login(page, live_server, "sec_a1")
    expect(page.get_by_test_id("locked-out")).to_contain_text("登录失败次数过多")
    expect(page).not_to_have_url(f"{live_server.url}/")


def test_language_switch_to_english(page, live_server, org):
    login(page, live_server, "sec_a1")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator("#mainnav .dropdown-toggle").click()  # Bootstrap's JS opens the user menu
    switch = page.locator("button[name=language][value=en]")
    expect(switch).to_be_visible()
    switch.click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "en"

    # the choice sticks for the next page, and the way back is offered
    page.goto(f"{live_server.url}/org/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#mainnav .dropdown-toggle").click()
    page.locator("button[name=language][value=zh-hans]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
