"""验收评审 on the five-force table and the provincial-brand round (issue #18, item 3), at
1366×900 and at 390×844 with nothing wider than the screen: the city committee's reviewer
scores a brand's acceptance item by item (a score above an item's maximum is refused at the
field, what was typed kept), the brand is built and its page shows the score; the same
reviewer then proposes it in the year's 省级品牌评选 and scores the proposal."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from brands.models import BrandApplication, Status
from evaluation.selectors.published import FIVE_FORCES
from evaluation.selectors.tables import latest_published
from selection import services as selection
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories.brands import BrandApplicationFactory


def test_a_committee_reviewer_scores_an_acceptance(page, live_server, org, screen):
    app = BrandApplicationFactory(
        unit=org.a1,
        applicant=org.users["secretary"],
        name="红色引擎",
        status=Status.ACCEPTANCE,
        approved_at=timezone.now(),
    )
    _version, indicators = latest_published(FIVE_FORCES)

    login(page, live_server, "rev_a")
    page.goto(f"{live_server.url}/brands/{app.pk}/")
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("score-acceptance").click()
    expect(page.locator("main")).to_contain_text("领导力")
    assert_no_horizontal_scroll(page)
    inputs = page.locator("input.acceptance-score")
    expect(inputs).to_have_count(len(indicators))
    for i in range(len(indicators)):
        inputs.nth(i).fill("8.5")
    inputs.first.fill("12")  # above the item's 10 points
    page.get_by_test_id("submit-acceptance").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(inputs.first).to_have_value("12")
    expect(inputs.nth(1)).to_have_value("8.5")  # nothing typed is lost
    assert_no_horizontal_scroll(page)
    inputs.first.fill("8.5")
    page.get_by_label("验收意见").fill("品牌成效显著，同意验收")
    page.get_by_test_id("submit-acceptance").click()
    expect(page.locator(".alert-success")).to_contain_text("验收通过")
    expect(page.get_by_test_id("status")).to_have_text("已建成")
    expect(page.get_by_test_id("acceptance-total")).to_have_text("85")
    assert_no_horizontal_scroll(page)
    assert BrandApplication.objects.get(pk=app.pk).status == Status.BUILT

    # The year's round is open: the same reviewer proposes the brand and scores it.
    today = timezone.localdate()
    round_ = selection.open_round(
        actor=org.users["province_reviewer"],
        year=today.year,
        title=f"{today.year}年省公司级品牌评选",
        quota=3,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
    )
    page.goto(f"{live_server.url}/selection/{round_.pk}/")
    assert_no_horizontal_scroll(page)
    page.get_by_label("推荐理由").fill("五力验收得分全市第一")
    page.get_by_test_id(f"propose-{app.pk}").click()
    expect(page.locator(".alert-success")).to_contain_text("已推荐")
    proposal = round_.proposals.get()
    score = page.get_by_label("党委评分")
    expect(score).to_have_value("85")  # the acceptance rate as the suggested basis
    score.fill("90")
    page.get_by_test_id(f"score-submit-{proposal.pk}").click()
    expect(page.get_by_test_id(f"score-{proposal.pk}")).to_have_text("90")
    assert_no_horizontal_scroll(page)


def test_the_province_decides_the_round_and_publishes(page, live_server, org, screen):
    from selection.models import Proposal

    today = timezone.localdate()
    round_ = selection.open_round(
        actor=org.users["province_reviewer"],
        year=today.year,
        title=f"{today.year}年省公司级品牌评选",
        quota=1,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today - datetime.timedelta(days=1),  # proposals closed: the province decides
    )
    proposals = {}
    for unit, committee, sec in (
        (org.a1, org.city_a, org.users["secretary"]),
        (org.b1, org.city_b, org.sec_b1),
    ):
        app = BrandApplicationFactory(unit=unit, applicant=sec, status=Status.BUILT)
        proposals[unit.code] = Proposal.objects.create(
            round=round_, application=app, unit=unit, committee=committee, reason="成效突出",
            proposed_by=org.users["city_reviewer"], score=90,
        )  # fmt: skip

    login(page, live_server, "rev_p")
    page.goto(f"{live_server.url}/selection/{round_.pk}/")
    assert_no_horizontal_scroll(page)
    a1, b1 = proposals["A1"], proposals["B1"]
    page.get_by_test_id(f"proposal-{a1.pk}").get_by_label("评定理由").fill("五力领先，示范作用突出")
    page.get_by_test_id(f"select-{a1.pk}").click()
    expect(page.get_by_test_id(f"status-{a1.pk}")).to_have_text("入选")
    page.get_by_test_id(f"select-{b1.pk}").click()  # the one place is taken
    expect(page.locator(".alert-danger")).to_contain_text("入选名额已满")
    page.get_by_test_id(f"proposal-{b1.pk}").get_by_label("评定理由").fill("成效有待提升")
    page.get_by_test_id(f"not_select-{b1.pk}").click()
    expect(page.get_by_test_id(f"status-{b1.pk}")).to_have_text("未入选")
    assert_no_horizontal_scroll(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("已成为省公司级品牌")
    page.goto(f"{live_server.url}/brands/{a1.application_id}/")
    expect(page.locator("h1")).to_contain_text("省公司级品牌")
    assert_no_horizontal_scroll(page)
