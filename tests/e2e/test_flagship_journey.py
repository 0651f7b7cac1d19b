"""Flagship journey in Chromium: the province opens a cycle → a built-brand branch applies →
its committees accept → the notice is published → the summary is uploaded → two committee
members score → the chair names the units → members vote → the bases are chosen → the awards
are visible on the flagship honour list. And: a branch whose brand is not built is refused.

Three other branches apply meanwhile (through the services, off screen), so that there are
four units and the default 30 % cap allows one base."""

import re

import pytest
from playwright.sync_api import expect

from flagship.models import Candidacy, FlagshipCycle
from flagship.services import candidacy as candidacies
from tests.e2e.conftest import login
from tests.factories import OrgUnitFactory, UserFactory, grant
from tests.flagship.conftest import build_brand, publish_result, score

SUMMARY = {"name": "两年总结.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%e2e\n"}


def as_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")


def accept_confirm(page):
    page.once("dialog", lambda dialog: dialog.accept())


@pytest.fixture
def province(org):
    """A1 has a built brand and clean results; three more built-brand branches will apply
    off screen; a second committee member joins the committee."""
    org.b2 = OrgUnitFactory(parent=org.city_b, name="乙市客服党支部", code="B2", category="market")
    org.sec_a2 = grant(UserFactory(username="sec_a2", full_name="郑书记"), org.a2, "secretary")
    org.sec_b2 = grant(UserFactory(username="sec_b2", full_name="冯书记"), org.b2, "secretary")
    org.jury2 = grant(
        UserFactory(username="jury2", full_name="孙评委"), org.province, "flagship_committee"
    )
    for unit, secretary, rate in (
        (org.a1, org.users["secretary"], 96),
        (org.b1, org.sec_b1, 88),
        (org.a2, org.sec_a2, 84),
        (org.b2, org.sec_b2, 80),
    ):
        build_brand(unit, secretary, name=f"{unit.name[:4]}先锋")
        publish_result(unit, "six-good", rate)
        publish_result(unit, "brand-five-forces", rate - 4)
    return org


def others_apply_and_are_accepted(org, cycle):
    chains = {
        org.b1.pk: (org.sec_b1, [org.rev_b, org.users["province_reviewer"]]),
        org.a2.pk: (org.sec_a2, [org.users["city_reviewer"], org.users["province_reviewer"]]),
        org.b2.pk: (org.sec_b2, [org.rev_b, org.users["province_reviewer"]]),
    }
    done = []
    for unit in (org.b1, org.a2, org.b2):
        secretary, reviewers = chains[unit.pk]
        c = candidacies.save_candidacy_draft(actor=secretary, cycle=cycle, unit=unit)
        c = candidacies.submit_candidacy(actor=secretary, pk=c.pk)
        for reviewer in reviewers:
            c = candidacies.approve_candidacy(actor=reviewer, pk=c.pk)
        done.append(c)
    return done


def test_flagship_cycle_from_opening_to_awards(page, live_server, province, artifacts_dir):
    org = province
    base = live_server.url

    # 1. The province opens a cycle (the form comes with the documents' defaults).
    as_user(page, live_server, "rev_p")
    page.goto(f"{base}/flagship/")
    page.get_by_test_id("cycle-create").click()
    form = page.get_by_test_id("cycle-form")
    expect(form.locator("input[name=quota]")).to_have_value("20")
    expect(form.locator("input[name=base_share_cap]")).to_have_value("30")
    expect(form.locator("input[name=summary_deadline]")).to_have_value(re.compile(r"-09-30$"))
    # The standing rule (six-good and five-force results in the top 30 %) would let two of the
    # four branches below apply; this province opens the cycle to every branch with a result.
    expect(form.locator("input[name=standing_top_share]")).to_have_value("30")
    form.locator("input[name=standing_top_share]").fill("100")
    page.get_by_test_id("cycle-save").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("筹备中")
    accept_confirm(page)
    page.get_by_test_id("advance-open_application").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("申报阶段")
    cycle = FlagshipCycle.objects.get()
    others = others_apply_and_are_accepted(org, cycle)

    # 2. A branch whose brand is built applies; the form starts pre-filled.
    as_user(page, live_server, "sec_a1")
    page.goto(f"{base}/flagship/")
    page.get_by_test_id("apply").click()
    practices = page.locator("textarea[name=actual_practices]")
    expect(practices).to_contain_text("设立党员先锋岗")
    page.screenshot(path=artifacts_dir / "flagship-apply.png", full_page=True)
    expect(page.locator("textarea[name=highlights]")).to_contain_text("得分率 96.00%")
    expect(page.get_by_test_id("brand-elements")).to_contain_text("党建引领，网络护航")
    practices.fill("1. 设立党员先锋岗，网络故障“零时差”响应。\n2. 技术攻关小组。")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    candidacy = Candidacy.objects.get(unit=org.a1)

    # 3. Its committees accept it, level by level, up to the province.
    for reviewer in ("rev_ga", "rev_a", "rev_p"):
        as_user(page, live_server, reviewer)
        page.goto(f"{base}/flagship/candidacies/{candidacy.pk}/")
        page.get_by_test_id("act-approve").click()
        expect(page.get_by_role("alert").first).to_contain_text("操作成功")
    expect(page.get_by_test_id("status")).to_have_text("已入围")

    # 4. The province publishes the notice, then moves to the management phase.
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/")
    accept_confirm(page)
    page.get_by_test_id("advance-publish_notice").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("公示阶段")
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/notice/")
    expect(page.get_by_test_id("notice-list")).to_contain_text(org.a1.name)
    expect(page.get_by_test_id("notice-item")).to_have_count(4)
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/")
    accept_confirm(page)
    page.get_by_test_id("advance-start_management").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("培育管理阶段")

    # 5. The branch files its two-year plan and uploads its summary.
    as_user(page, live_server, "sec_a1")
    page.goto(f"{base}/flagship/candidacies/{candidacy.pk}/")
    page.locator("textarea[name=plan]").fill("第一年：完善先锋岗机制；第二年：形成可推广的工作法。")
    page.get_by_test_id("plan-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("两年创建计划已保存")
    page.get_by_test_id("summary-form").locator("input[type=file]").set_input_files(SUMMARY)
    page.get_by_test_id("summary-upload").click()
    expect(page.get_by_test_id("summary-files")).to_contain_text("两年总结.pdf")

    # 6. The province starts the review; two members score A1 independently.
    as_user(page, live_server, "rev_p")
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/")
    accept_confirm(page)
    page.get_by_test_id("advance-start_review").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("评审阶段")
    for member in (org.users["committee_member"], org.jury2):  # the other three, off screen
        for other, pts in zip(others, (44, 41, 38), strict=True):
            score(member, other, pts, pts)

    as_user(page, live_server, "jury")
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/board/")
    page.get_by_role("link", name=org.a1.name).click()
    expect(page.get_by_test_id("scores-hidden")).to_be_visible()
    expect(page.get_by_test_id("score-form").locator("input[type=number]").first).to_have_value(
        "48.00"
    )  # 96 % of 50, suggested
    accept_confirm(page)
    page.get_by_test_id("score-submit").click()
    expect(page.get_by_test_id("my-score")).to_contain_text("94")

    as_user(page, live_server, "jury2")
    page.goto(f"{base}/flagship/candidacies/{candidacy.pk}/review/")
    expect(page.get_by_test_id("scores-hidden")).to_be_visible()  # not before scoring
    fields = page.get_by_test_id("score-form").locator("input[type=number]")
    fields.nth(0).fill("40")
    fields.nth(1).fill("40")
    accept_confirm(page)
    page.get_by_test_id("score-submit").click()
    expect(page.get_by_test_id("aggregate")).to_contain_text("87.00")  # mean of 94 and 80
    expect(page.get_by_test_id("scores")).to_contain_text("钱评委")

    # 7. The chair sees the spread and names the units (≤ quota), then the vote opens.
    as_user(page, live_server, "jury")
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/board/")
    expect(page.get_by_test_id("spread").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "flagship-board.png", full_page=True)
    page.get_by_test_id("decide-link").first.click()
    expect(page.locator("input[name=units]:checked")).to_have_count(4)
    accept_confirm(page)
    page.get_by_test_id("decide-submit").click()
    expect(page.get_by_test_id("cycle-phase")).to_have_text("公开投票阶段")

    # 8. Members vote, once each.
    for voter in ("member", "sec_b1", "rev_a"):
        as_user(page, live_server, voter)
        page.goto(f"{base}/flagship/")
        page.get_by_test_id("vote-link").click()
        if voter == "member":  # nothing chosen: told in the page before any question
            page.get_by_test_id("vote-submit").click()
            expect(page.get_by_test_id("vote-feedback")).to_contain_text("请选择 1 至")
        page.get_by_test_id("vote-A1").check()
        accept_confirm(page)  # the vote is final: the page asks first
        page.get_by_test_id("vote-submit").click()
        expect(page.get_by_test_id("voted")).to_be_visible()
        expect(page.get_by_test_id("vote-submit")).to_have_count(0)

    # 9. The chair closes the vote and chooses the bases (at most 30 % of 4 units: 1).
    as_user(page, live_server, "jury")
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/bases/")
    ranking = page.get_by_test_id("base-ranking")
    expect(ranking.locator("tbody tr").first).to_contain_text(org.a1.name)
    expect(page.locator("input[name=base_count]")).to_have_value("1")
    accept_confirm(page)
    page.get_by_test_id("bases-submit").click()
    awards = page.get_by_test_id("award")
    expect(awards).to_have_count(4)
    expect(awards.first.get_by_test_id("award-kind")).to_have_text("旗舰品牌示范基地")
    expect(awards.first.get_by_test_id("award-unit")).to_have_text(org.a1.name)

    # 10. The awards are visible to everyone on the flagship honour list, with a certificate.
    as_user(page, live_server, "member")
    page.goto(f"{base}/flagship/")
    page.get_by_test_id("honours-link").click()
    honours = page.get_by_test_id("honours")
    expect(honours).to_contain_text(org.a1.name)
    expect(honours.locator("tbody tr")).to_have_count(4)
    page.goto(f"{base}/flagship/cycles/{cycle.pk}/awards/")
    page.get_by_test_id("certificate-link").first.click()
    expect(page.get_by_test_id("certificate")).to_contain_text("旗舰品牌示范基地")
    page.screenshot(path=artifacts_dir / "flagship-certificate.png", full_page=True)
    as_user(page, live_server, "sec_a1")
    page.goto(f"{base}/flagship/")
    expect(page.get_by_test_id("own-branch").get_by_test_id("flagship-badge")).to_contain_text(
        "旗舰品牌示范基地"
    )


def test_a_branch_whose_brand_is_not_built_is_refused(page, live_server, org):
    secretary = grant(UserFactory(username="sec_a2", full_name="郑书记"), org.a2, "secretary")
    build_brand(org.a2, secretary, status="implementing", name="市场先锋")
    from flagship.services import cycle as cycles

    year = cycles.default_year_start()  # the cycle a province would open today
    cycle = cycles.create_cycle(actor=org.users["province_reviewer"], year_start=year)
    cycles.advance(actor=org.users["province_reviewer"], pk=cycle.pk, name="open_application")

    as_user(page, live_server, "sec_a2")
    page.goto(f"{live_server.url}/flagship/")
    expect(page.get_by_test_id("ineligible")).to_contain_text("尚未建成（当前状态：实施推进）")
    expect(page.get_by_test_id("apply")).to_have_count(0)
    page.goto(f"{live_server.url}/flagship/cycles/{cycle.pk}/apply/{org.a2.pk}/")
    expect(page.get_by_test_id("refused")).to_contain_text("只有品牌已建成的党支部可以申报旗舰品牌")
    assert not Candidacy.objects.filter(unit=org.a2).exists()
