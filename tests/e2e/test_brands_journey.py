"""Brands journey: a secretary files a brand, reviewers up the tree return and approve it,
and it appears on the brand wall; a secretary of another city can neither see nor act on it."""

from PIL import Image
from playwright.sync_api import expect

from brands.models import BrandApplication
from tests.e2e.conftest import login


def _logo(tmp_path):
    path = tmp_path / "品牌标识.png"
    Image.new("RGB", (320, 320), (183, 28, 28)).save(path)
    return path


def _decide(page, button, comment=""):
    if comment:
        page.get_by_label("审核意见").fill(comment)
    page.get_by_test_id(f"act-{button}").click()
    expect(page.locator(".alert-success")).to_contain_text("操作成功")


def _logout(page):
    page.context.clear_cookies()


def test_file_return_resubmit_approve_and_show_on_the_wall(
    page, live_server, org, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The secretary files the brand with its six elements and a logo.
    login(page, live_server, "sec_a1")
    page.locator("#mainnav").get_by_role("link", name="品牌创建").click()
    page.get_by_role("link", name="申报品牌").click()
    page.get_by_label("品牌名称").fill("红色引擎")
    page.get_by_label("品牌传播语").fill("党建引领，网络护航")
    page.get_by_label("创建类型").select_option(label="服务发展类")
    page.get_by_label("核心理念").fill("把支部建在网上，把党员放在一线")
    page.get_by_label("建设目标").fill("三年内故障处理时长下降30%")
    page.get_by_label("创建举措").fill("设立党员先锋岗\n开展技术攻关")
    page.get_by_label("创建成效").fill("网络质量排名全省第一")
    page.get_by_label("品牌标识").set_input_files(_logo(tmp_path))
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交审核")
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    detail_url = page.url

    # The general branch approves; the city reviewer returns it with a comment.
    _logout(page)
    login(page, live_server, "rev_ga")
    page.goto(detail_url)
    _decide(page, "approve", "同意上报")
    _logout(page)
    login(page, live_server, "rev_a")
    page.goto(f"{live_server.url}/brands/queue/")
    page.get_by_role("link", name="红色引擎").click()
    _decide(page, "return", "建设目标请量化到具体指标")
    expect(page.get_by_test_id("status")).to_have_text("已退回修改")

    # The secretary sees the comment, edits the goal and resubmits.
    _logout(page)
    login(page, live_server, "sec_a1")
    page.goto(detail_url)
    expect(page.get_by_test_id("timeline")).to_contain_text("建设目标请量化到具体指标")
    page.get_by_role("link", name="编辑").click()
    # ... and again on the form itself, with who returned it: no switching pages.
    expect(page.get_by_test_id("return-comment")).to_have_text("建设目标请量化到具体指标")
    expect(page.get_by_test_id("return-by")).to_contain_text("李组织")
    page.get_by_label("建设目标").fill("三年内故障处理时长下降50%，客户满意度达到98%")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交审核")

    # Back at the city, which sees what changed since it returned the application.
    _logout(page)
    login(page, live_server, "rev_a")
    page.goto(detail_url)
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("第1版")
    expect(diff).to_contain_text("建设目标")
    expect(diff.locator("ins")).not_to_have_count(0)
    expect(diff).not_to_contain_text("品牌传播语")  # unchanged elements are not listed
    _decide(page, "approve", "同意")

    _logout(page)
    login(page, live_server, "rev_p")
    page.goto(detail_url)
    _decide(page, "approve")
    expect(page.get_by_test_id("status")).to_have_text("实施推进")

    # Every logged-in user sees it on the brand wall.
    _logout(page)
    login(page, live_server, "member")
    page.goto(f"{live_server.url}/brands/showcase/")
    card = page.locator(".card", has_text="红色引擎")
    expect(card).to_contain_text("党建引领，网络护航")
    expect(card.locator("img")).to_be_visible()
    assert BrandApplication.objects.get(name="红色引擎").revision_number == 2


def test_a_secretary_of_another_city_can_neither_see_nor_act(
    page, live_server, org, tmp_path, settings
):
    from brands import services

    settings.MEDIA_ROOT = tmp_path / "media"
    from tests.brands.conftest import CONTENT, png_upload

    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )
    services.submit_application(actor=org.users["secretary"], pk=app.pk)

    login(page, live_server, "sec_b1")
    page.locator("#mainnav").get_by_role("link", name="品牌创建").click()
    expect(page.get_by_text("红色引擎")).to_have_count(0)
    response = page.goto(f"{live_server.url}/brands/{app.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="您没有权限访问此页面")).to_be_visible()
    response = page.goto(f"{live_server.url}/brands/{app.pk}/edit/")
    assert response.status == 403
