"""No lost work, on a desk and on a phone (issue #14, item 1): a brand application submitted
without a name, and a self-assessment saved with an over-the-limit score and a file attached,
come back with what was typed, the error at its field, and the file named to choose again —
never an error page. Dates come from today (`make_period`)."""

import re

from PIL import Image
from playwright.sync_api import expect

from evaluation.models import Assessment, IndicatorKind
from evaluation.selectors.tables import indicators_for
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.evaluation.conftest import make_period


def test_a_nameless_brand_comes_back_with_everything_typed(page, live_server, org, screen):
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/brands/new/{org.a1.pk}/")
    page.get_by_label("品牌传播语").fill("党建引领，网络护航")
    page.get_by_label("创建类型").select_option(label="服务发展类")
    page.get_by_label("建设目标").fill("三年内故障处理时长下降30%")
    page.get_by_label("创建举措").fill("设立党员先锋岗\n开展技术攻关")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="提交审核").click()
    assert posted.value.status < 500
    name = page.get_by_label("品牌名称")
    expect(name).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_text("请填写品牌名称，保存草稿也需要名称。")).to_be_visible()
    expect(page.get_by_label("品牌传播语")).to_have_value("党建引领，网络护航")
    expect(page.get_by_label("建设目标")).to_have_value("三年内故障处理时长下降30%")
    expect(page.get_by_label("创建举措")).to_have_value("设立党员先锋岗\n开展技术攻关")
    assert_no_horizontal_scroll(page)


def test_a_refused_self_assessment_keeps_the_text_and_names_the_file(
    page, live_server, org, screen, tmp_path
):
    period = make_period(org)
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    first, second = [
        i
        for i in indicators_for(period.table_version_id, a1.category)
        if i.kind in (IndicatorKind.BASIC, IndicatorKind.SPECIAL)
    ][:2]
    photo = tmp_path / "支委会记录.png"
    Image.new("RGB", (60, 40), (200, 30, 30)).save(photo)
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/fill/")
    page.get_by_test_id(f"score-{first.code}").fill("99999")  # over the item's points
    page.get_by_test_id(f"evidence-{second.code}").fill("本月支委会记录见附件")
    page.get_by_test_id(f"file-{second.code}").set_input_files(photo)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_test_id("save-draft").click()
    assert posted.value.status == 400
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id(f"evidence-{second.code}")).to_have_value("本月支委会记录见附件")
    expect(page.get_by_text("文件“支委会记录.png”尚未保存，请重新选择后再保存")).to_be_visible()
    expect(page.get_by_test_id(f"score-{first.code}")).to_have_value("99999")
    assert_no_horizontal_scroll(page)
