"""Evaluation journey in Chromium: a secretary fills the six-good self-assessment and submits →
the city reviewer adjusts one score with a reason, accepts and (after the close date) publishes →
the secretary sees the result, star, rank and radar chart. And: the secretary of another city is
refused A1's assessment, and a submission after the close date is blocked with a Chinese message.

The period is set up through the services (the province would do it on its own page); B1, the
other production branch, is filled, accepted and published off screen so that A1 has a rank and
a category average to be compared with. Expected totals, star, tier and ranks are computed here
from the table's rows and thresholds in the database, not copied from the pages."""

import io
import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from evaluation.models import (
    Assessment,
    AssessmentPeriod,
    Dimension,
    Indicator,
    IndicatorKind,
    PeriodKind,
    Status,
    TableVersion,
)
from evaluation.services import assessments as services
from evaluation.services import periods as period_services
from tests.conftest import restore_shipped_tables
from tests.e2e.conftest import login

EARNING = (IndicatorKind.BASIC, IndicatorKind.SPECIAL)
CATEGORY = "production"  # A1 and B1
REASON = "线下验收核减：会议记录缺3次"
TIERS = {1: "第一梯队", 2: "第二梯队", 3: "第三梯队"}


# --- set-up through the services (what the province and the other city do off screen) ---------


def six_good_version():
    """The shipped six-good table, version 1. It comes from a data migration, which a
    transactional test (every browser test is one) flushes on PostgreSQL: recreate it then."""
    restore_shipped_tables()
    return TableVersion.objects.get(table__code="six-good", number=1)


def open_period(org, version):
    """A monthly province-wide six-good period whose filling window is open today."""
    today = timezone.localdate()
    starts = today.replace(day=1)
    return period_services.create_period(
        actor=org.users["province_reviewer"],
        data={
            "name": f"{starts:%Y年%m月}六好党支部月度评价",
            "kind": PeriodKind.MONTHLY,
            "table_version": version,
            "scope": org.province,
            "starts_on": starts,
            "ends_on": starts + timedelta(days=27),
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=5),
            "is_aggregate": False,
        },
    )


def close_window(period):
    """The filling window closes (as after the deadline): the close date moves to yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    AssessmentPeriod.objects.filter(pk=period.pk).update(closes_on=yesterday)
    period.refresh_from_db()


def earning_items(version):
    return list(
        Indicator.objects.filter(dimension__version=version, kind__in=EARNING)
        .filter(Q(category="") | Q(category=CATEGORY))
        .select_related("dimension")
        .order_by("dimension__sort_order", "sort_order", "pk")
    )


def b1_filled_and_accepted(org, period, fraction=Decimal("0.95")):
    """B1 (production, city B) scores `fraction` of every item and is accepted by city B."""
    b1 = period.assessments.get(unit=org.b1)
    entries = {
        i.pk: {"score": (i.max_points * fraction).quantize(Decimal("0.01")), "evidence": "台账齐全"}
        for i in earning_items(period.table_version)
    }
    services.save_draft(actor=org.sec_b1, pk=b1.pk, entries=entries)
    services.submit_assessment(actor=org.sec_b1, pk=b1.pk)
    services.accept(actor=org.rev_b, pk=b1.pk)
    return b1


# --- the expectations, from the table's rows and thresholds -----------------------------------


@dataclass
class Plan:
    items: list  # the earning indicators that apply to a production branch, in table order
    self_scores: dict  # code → the secretary's score
    adjusted: Indicator  # the one item the reviewer changes
    reviewed_score: Decimal
    max_total: Decimal

    def totals(self, reviewed=False):
        scores = dict(self.self_scores)
        if reviewed:
            scores[self.adjusted.code] = self.reviewed_score
        return sum(scores.values(), Decimal(0)), scores

    def dimension_scores(self):
        _total, scores = self.totals(reviewed=True)
        dims = {}
        for i in self.items:
            score, maximum = dims.get(i.dimension.code, (Decimal(0), Decimal(0)))
            dims[i.dimension.code] = (score + scores[i.code], maximum + i.max_points)
        return dims


def plan_scores(version):
    """Self scores just above the five-star threshold; the reviewer takes off enough on one
    item to land in four stars. Computed from the version's maximum and thresholds."""
    items = earning_items(version)
    max_total = sum((i.max_points for i in items), Decimal(0))
    five_star_points = max_total * version.star5_rate / 100
    self_total = Decimal(math.floor(five_star_points) + 1)
    reviewed_total = Decimal(math.floor(five_star_points) - 2)
    assert self_total <= max_total
    assert reviewed_total >= max_total * version.star4_rate / 100, "thresholds too close"
    adjusted = max(items, key=lambda i: i.max_points)  # the weightiest item
    scores = {i.code: i.max_points for i in items}
    deficit = max_total - self_total
    for i in items:  # one point off the first items until the total is reached
        if deficit <= 0:
            break
        if i is adjusted:
            continue
        cut = min(Decimal(1), deficit)
        scores[i.code] -= cut
        deficit -= cut
    cut = self_total - reviewed_total
    assert scores[adjusted.code] >= cut
    return Plan(items, scores, adjusted, scores[adjusted.code] - cut, max_total)


def rate_of(total, maximum):
    return (total * 100 / maximum).quantize(Decimal("0.01"))


def expected_star(rate, version):
    for star, minimum in (
        (5, version.star5_rate),
        (4, version.star4_rate),
        (3, version.star3_rate),
        (2, version.star2_rate),
    ):
        if rate >= minimum:
            return star
    return 1


def expected_tier(star):
    return 1 if star == 5 else 2 if star >= 3 else 3


def expected_ranks(period, unit):
    """RANK() among the period's published results: within category, region, province."""
    published = list(period.assessments.filter(status=Status.PUBLISHED))
    own = next(a for a in published if a.unit_id == unit.pk)

    def rank(peers):
        key = (own.is_vetoed, -own.total)
        return 1 + sum((a.is_vetoed, -a.total) < key for a in peers)

    return {
        "category": rank([a for a in published if a.category == own.category]),
        "region": rank([a for a in published if a.region_id == own.region_id]),
        "province": rank(published),
    }


def points(value):
    """As the pages print points: no trailing zeros."""
    return f"{Decimal(value).normalize():f}"


def radar_points(value):
    """As the radar labels print points: one decimal, no trailing zeros."""
    return f"{Decimal(value).quantize(Decimal('0.1')).normalize():f}"


# --- the browser ------------------------------------------------------------------------------


def as_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")


def open_evaluation(page):
    page.locator("#mainnav").get_by_role("link", name="考核评价").click()
    expect(page.get_by_role("heading", name="考核评价", level=1)).to_be_visible()


def accept_confirm(page):
    page.once("dialog", lambda dialog: dialog.accept())


def success(page, text):
    expect(page.locator(".alert-success")).to_contain_text(text)


def fill_scores(page, scores):
    for code, score in scores.items():
        page.get_by_test_id(f"score-{code}").fill(str(score))


def _photo(tmp_path):
    path = tmp_path / "三会一课记录.png"
    Image.new("RGB", (200, 120), (183, 28, 28)).save(path)
    return path


def test_self_assessment_review_publication_and_result(
    page, live_server, org, tmp_path, settings, artifacts_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    version = six_good_version()
    period = open_period(org, version)
    b1_filled_and_accepted(org, period)
    plan = plan_scores(version)
    self_total, _ = plan.totals()
    reviewed_total, _ = plan.totals(reviewed=True)
    self_star = expected_star(rate_of(self_total, plan.max_total), version)
    star = expected_star(rate_of(reviewed_total, plan.max_total), version)
    assert (self_star, star) == (5, 4)  # the adjustment crosses a threshold, as planned
    code = plan.adjusted.code

    # 1. The secretary finds the month's assessment on the evaluation page and fills it in.
    as_user(page, live_server, "sec_a1")
    open_evaluation(page)
    own = page.get_by_test_id("own-assessment")
    expect(own).to_have_count(1)
    expect(own).to_contain_text(org.a1.name)
    expect(own.get_by_test_id("status")).to_have_text("填报中")
    own.get_by_role("link", name="开始自评").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(period.name)
    for dimension in Dimension.objects.filter(version=version):
        expect(page.locator(".card-header", has_text=dimension.name)).to_be_visible()
    fill_scores(page, plan.self_scores)
    expect(page.get_by_test_id("running-total")).to_have_text(f"{self_total:.2f}")
    page.get_by_test_id(f"evidence-{code}").fill("全年召开支部党员大会4次、支委会12次")
    page.get_by_test_id(f"file-{code}").set_input_files(_photo(tmp_path))
    page.get_by_test_id("save-draft").click()
    success(page, "草稿已保存")
    # the draft comes back as it was typed, with the evidence file
    expect(page.get_by_test_id(f"score-{code}")).to_have_value(f"{plan.self_scores[code]:.2f}")
    # re-encoded as JPEG (no transparency), so kept and downloaded as .jpg
    expect(page.get_by_role("link", name="三会一课记录.jpg")).to_be_visible()
    expect(page.get_by_test_id("running-total")).to_have_text(f"{self_total:.2f}")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_test_id("submit-assessment").click()
    success(page, "自评已提交，等待上级党组织审核")
    assert asked and "确定提交吗" in asked[0]  # a final step is confirmed first
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    expect(page.get_by_test_id(f"self-score-{code}")).to_have_text(points(plan.self_scores[code]))
    expect(page.get_by_test_id("result")).to_have_count(0)  # not the branch's until published
    detail_url = page.url

    # 2. The city reviewer opens it from the review queue, takes points off one item with a
    #    reason, and accepts (offline acceptance).
    as_user(page, live_server, "rev_a")
    open_evaluation(page)
    expect(page.get_by_test_id("queue-count")).to_have_text("1")
    page.get_by_role("link", name="待我审核").click()
    page.get_by_test_id("queue-row").get_by_role("link", name=org.a1.name).click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_test_id("result-total")).to_have_text(points(self_total))
    expect(page.get_by_test_id("result-star")).to_have_attribute("data-star", str(self_star))
    expect(page.get_by_test_id("unpublished")).to_be_visible()
    page.get_by_test_id(f"review-score-{code}").fill(str(plan.reviewed_score))
    expect(page.get_by_test_id("running-total")).to_have_text(f"{reviewed_total:.2f}")
    page.get_by_test_id("save-review").click()  # without a reason: refused, in Chinese
    expect(page.locator(".alert-danger").first).to_contain_text("请根据提示修改后再保存")
    expect(page.get_by_text("调整分数必须填写理由")).to_be_visible()
    page.get_by_test_id(f"review-score-{code}").fill(str(plan.reviewed_score))
    page.get_by_test_id(f"review-reason-{code}").fill(REASON)
    page.get_by_test_id("save-review").click()
    success(page, "已调整 1 项评分")
    expect(page.get_by_test_id("result-total")).to_have_text(points(reviewed_total))
    expect(page.get_by_test_id("result-star")).to_have_attribute("data-star", str(star))
    expect(page.get_by_test_id("timeline")).to_contain_text(REASON)
    page.get_by_label("意见", exact=True).fill("线下验收通过")
    page.get_by_test_id("act-accept").click()
    success(page, "操作成功")
    expect(page.get_by_test_id("status")).to_have_text("已验收")

    # 3. Publishing waits for the close date.
    page.locator(".breadcrumb").get_by_role("link", name=period.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(period.name)
    accept_confirm(page)
    page.get_by_test_id("publish-button").click()
    expect(page.locator(".alert-danger")).to_contain_text("后才能发布结果")
    assert Assessment.objects.get(period=period, unit=org.a1).status == Status.REVIEWED

    # The window closes; city B publishes its part off screen; city A publishes.
    close_window(period)
    period_services.publish(actor=org.rev_b, pk=period.pk, unit=org.city_b)
    page.reload()
    expect(page.get_by_test_id("publish-button")).to_be_visible()
    accept_confirm(page)
    page.get_by_test_id("publish-button").click()
    success(page, "已发布 1 份考评结果，排名已更新")
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    assert a1.status == Status.PUBLISHED and a1.total == reviewed_total
    ranks = expected_ranks(period, org.a1)
    assert ranks == {"category": 2, "region": 1, "province": 2}  # B1 scored higher

    # The reviewer's rankings list A1 with its ranks among all published results.
    page.get_by_test_id("rankings-link").click()
    row = page.get_by_test_id("ranking-row").filter(has_text=org.a1.name)
    expect(row.get_by_test_id("rank-province")).to_have_text(str(ranks["province"]))
    expect(row.get_by_test_id("rank-category")).to_have_text(str(ranks["category"]))
    expect(row.get_by_test_id("rank-region")).to_have_text(str(ranks["region"]))
    expect(row.get_by_test_id("rank-total")).to_have_text(points(reviewed_total))
    expect(page.get_by_test_id("ranking-row").filter(has_text=org.b1.name)).to_have_count(0)

    # The reviewer exports the results of city A: generated (eagerly here), then downloaded.
    page.go_back()
    page.get_by_test_id("export-link").click()
    expect(page.get_by_test_id("export-progress")).to_have_attribute("data-status", "none")
    page.get_by_test_id("export-generate").click()
    expect(page.get_by_test_id("export-progress")).to_have_attribute("data-status", "done")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    header, *body = list(book.active.iter_rows(values_only=True))
    exported = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(exported) == {"A1", "A2"}  # city A's branches only
    assert exported["A1"]["最终得分"] == float(reviewed_total)
    assert exported["A1"]["全省排名"] == ranks["province"]

    # 4. The secretary sees the published result: total, star, tier, rank and radar.
    as_user(page, live_server, "sec_a1")
    open_evaluation(page)
    expect(page.get_by_test_id("own-assessment")).to_have_count(0)  # nothing left to do
    page.get_by_test_id("period-row").get_by_role("link", name=period.name).click()
    page.get_by_test_id("assessment-row").get_by_role("link", name=org.a1.name).click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_test_id("status")).to_have_text("已发布")
    expect(page.get_by_test_id("unpublished")).to_have_count(0)
    expect(page.get_by_test_id("result-total")).to_have_text(points(reviewed_total))
    result_star = page.get_by_test_id("result-star")
    expect(result_star).to_have_attribute("data-star", str(star))
    expect(result_star).to_have_text("★" * star + "☆" * (5 - star))
    tier = expected_tier(star)
    expect(page.get_by_test_id("result-tier")).to_have_attribute("data-tier", str(tier))
    expect(page.get_by_test_id("result-tier")).to_contain_text(TIERS[tier])
    expect(page.get_by_test_id("rank-category")).to_have_text(str(ranks["category"]))
    expect(page.get_by_test_id("result")).to_contain_text("/ 2（生产类）")
    expect(page.get_by_test_id(f"reviewed-score-{code}")).to_have_text(points(plan.reviewed_score))
    expect(page.get_by_test_id(f"indicator-{code}")).to_contain_text(REASON)
    expect(page.get_by_test_id("timeline")).to_contain_text(REASON)

    radar = page.get_by_test_id("radar")
    radar.scroll_into_view_if_needed()
    expect(radar).to_be_visible()
    expect(radar.get_by_test_id("radar-own")).to_have_count(1)
    expect(radar.get_by_test_id("radar-average")).to_have_count(1)
    labels = radar.locator("text")
    for dimension in Dimension.objects.filter(version=version):
        score, maximum = plan.dimension_scores()[dimension.code]
        label = labels.filter(has_text=dimension.name)
        expect(label).to_have_count(1)
        expect(label).to_contain_text(f"{radar_points(score)}/{radar_points(maximum)}")
        expect(label).to_contain_text("均")  # the category average, B1 included
    expect(radar).to_contain_text("本支部")
    expect(radar).to_contain_text("同类别平均")

    page.get_by_test_id("result").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "evaluation-result.png", full_page=True)


def test_another_city_is_refused_and_a_late_submission_is_blocked(page, live_server, org):
    base = live_server.url
    version = six_good_version()
    period = open_period(org, version)
    a1 = period.assessments.get(unit=org.a1)
    b1 = period.assessments.get(unit=org.b1)

    as_user(page, live_server, "sec_b1")
    open_evaluation(page)
    own = page.get_by_test_id("own-assessment")
    expect(own).to_have_count(1)
    expect(own).to_contain_text(org.b1.name)
    page.get_by_test_id("period-row").get_by_role("link", name=period.name).click()
    expect(page.get_by_test_id("assessment-row")).to_have_count(1)
    expect(page.get_by_text(org.a1.name)).to_have_count(0)

    # A1 belongs to city A: its assessment, form and chart are refused.
    for path in ("", "fill/", "radar.svg"):
        response = page.goto(f"{base}/evaluation/assessments/{a1.pk}/{path}")
        assert response.status == 403, path
        expect(page.get_by_role("heading", name="您没有权限访问此页面")).to_be_visible()
        expect(page.get_by_text(org.a1.name)).to_have_count(0)

    # B1's secretary fills the form while the window is open, but submits after it closed.
    open_evaluation(page)
    own.get_by_role("link", name="开始自评").click()
    fill_scores(page, {i.code: i.max_points for i in earning_items(version)})
    close_window(period)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-assessment").click()
    window_error = page.get_by_test_id("window-error")
    expect(window_error).to_contain_text("截止填报，不能再保存或提交")
    expect(window_error).to_contain_text("如需补报，请联系上级党委")
    expect(page.get_by_test_id("submit-assessment")).to_be_disabled()
    expect(page.get_by_test_id("save-draft")).to_be_disabled()
    expect(page.get_by_test_id("status")).to_have_text("填报中")
    b1.refresh_from_db()
    assert b1.status == Status.DRAFT and b1.revision == 0 and not b1.scores.exists()
