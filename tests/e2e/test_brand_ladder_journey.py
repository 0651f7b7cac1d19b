"""The brand ladder's journeys (issue #18, item 3), at 1366×900 and at 390×844 with nothing
wider than the screen: a 党总支 files a brand that is approved up the chain from its parent
committee; an approved brand is reshaped (重塑), approved level by level, and its history —
the earlier version, who approved the reshaping — stays on the brand page."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from branches.models import Role
from brands import services
from brands.models import BrandApplication, Reshaping
from tests.brands.conftest import CONTENT, png_upload
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import UserFactory, grant


def _logout(page):
    page.context.clear_cookies()


def _decide(page, button, comment=""):
    if comment:
        page.get_by_label("审核意见").fill(comment)
    page.get_by_test_id(f"act-{button}").click()
    expect(page.locator(".alert-success")).to_contain_text("操作成功")
    assert_no_horizontal_scroll(page)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_general_branch_files_a_brand_approved_up_the_chain(page, live_server, org, media, screen):
    grant(UserFactory(username="sec_ga", full_name="陈总支书记"), org.general_a, Role.SECRETARY)
    logo = media / "标识.png"
    Image.new("RGB", (320, 320), (183, 28, 28)).save(logo)

    # The general branch's secretary finds their 党总支 on 品牌创建 and files its brand.
    login(page, live_server, "sec_ga")
    page.goto(f"{live_server.url}/brands/")
    expect(page.locator("main")).to_contain_text(org.general_a.name)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="申报品牌").click()
    page.get_by_label("品牌名称").fill("网络先锋")
    page.get_by_label("品牌传播语").fill("总支引领，支部争先")
    page.get_by_label("创建类型").select_option(label="服务发展类")
    page.get_by_label("核心理念").fill("把总支建成支部的加油站")
    page.get_by_label("建设目标").fill("三年内所属支部全部建成品牌")
    page.get_by_label("创建举措").fill("总支书记联系支部\n季度擂台赛")
    page.get_by_label("创建成效").fill("所属支部考评全部达到四星")
    page.get_by_label("品牌标识").set_input_files(logo)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交审核")
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    # its chain starts at its parent committee, not at itself
    expect(page.locator("main")).to_contain_text(f"当前审核：{org.city_a.name}")
    detail_url = page.url

    # The general branch's own reviewer has nothing to decide on it.
    _logout(page)
    login(page, live_server, "rev_ga")
    page.goto(detail_url)
    expect(page.get_by_test_id("act-approve")).to_have_count(0)

    # The city, then the province approve.
    for reviewer in ("rev_a", "rev_p"):
        _logout(page)
        login(page, live_server, reviewer)
        page.goto(f"{live_server.url}/brands/queue/")
        assert_no_horizontal_scroll(page)
        page.get_by_role("link", name="网络先锋").first.click()
        _decide(page, "approve", "同意")
    expect(page.get_by_test_id("status")).to_have_text("实施推进")
    assert BrandApplication.objects.get(unit=org.general_a).status == "implementing"


@pytest.fixture
def approved(org, media):
    secretary = org.users["secretary"]
    app = services.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    app = services.submit_application(actor=secretary, pk=app.pk)
    for role in ("general_branch_reviewer", "city_reviewer", "province_reviewer"):
        app = services.approve_application(actor=org.users[role], pk=app.pk)
    return app


def test_an_approved_brand_is_reshaped_and_keeps_its_history(
    page, live_server, org, approved, screen
):
    detail_url = f"{live_server.url}/brands/{approved.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())

    # The holder starts a reshaping from the brand page, changes the name and goal, submits.
    login(page, live_server, "sec_a1")
    page.goto(detail_url)
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("start-reshaping").click()
    expect(page.locator(".alert-success")).to_contain_text("已发起品牌重塑")
    page.get_by_label("重塑说明").fill("服务对象扩展到全市客户")
    page.get_by_label("品牌名称").fill("红色引擎·智网")
    page.get_by_label("建设目标").fill("五年内故障处理时长下降60%")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success")).to_contain_text("重塑已提交审核")
    expect(page.get_by_test_id("reshaping-status")).to_have_text("重塑审核中")
    expect(page.get_by_test_id("reshaping-diff").locator("ins")).not_to_have_count(0)
    reshaping_url = page.url

    # Meanwhile the brand page shows the approved brand, still valid, and the reshaping.
    page.goto(detail_url)
    expect(page.locator("h1")).to_contain_text("红色引擎")
    expect(page.locator("h1")).not_to_contain_text("智网")
    expect(page.get_by_test_id("live-reshaping")).to_be_visible()

    # Up the chain: general branch, city, province.
    for reviewer in ("rev_ga", "rev_a", "rev_p"):
        _logout(page)
        login(page, live_server, reviewer)
        page.goto(f"{live_server.url}/brands/queue/")
        queue = page.get_by_test_id("reshaping-queue")
        queue.get_by_role("link", name="红色引擎·智网").click()
        assert page.url == reshaping_url
        _decide(page, "approve", f"{reviewer} 同意")
    expect(page.get_by_test_id("reshaping-status")).to_have_text("重塑已通过")

    # The brand is the reshaped one; its page keeps the earlier version and who approved.
    _logout(page)
    login(page, live_server, "sec_a1")
    page.goto(detail_url)
    expect(page.locator("h1")).to_contain_text("红色引擎·智网")
    expect(page.get_by_test_id("reshaped-revision")).to_have_count(1)
    expect(page.get_by_test_id("revision-link")).to_have_count(2)
    history = page.get_by_test_id("reshaping-history")
    expect(history).to_contain_text("重塑已通过")
    expect(history).to_contain_text("赵党建")  # the province reviewer who approved it last
    expect(history).to_contain_text("rev_a 同意")
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("revision-link").last.click()  # the first version, read back
    expect(page.get_by_test_id("revision")).to_contain_text("三年内实现网络故障处理时长下降30%")
    assert Reshaping.objects.get().status == "approved"
