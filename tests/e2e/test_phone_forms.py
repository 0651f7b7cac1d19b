"""The pages not yet walked at a phone's width (issue #14, item 6): the secretary's 工作台
leading to a returned brand's form with the reviewer's comment (item 5), the brand
application form, the flagship candidacy form, the public vote (each unit's logo and brand
link; the count checked before the final question, item 3), the ledger (roster, the
meeting-record form, compliance) and the account pages (账号管理, the forced password
change). At 1366×900 and at 390×844: nothing is wider than the screen, no table needs
sideways scrolling inside its box, and every box one types in is at least 80 px wide. Data is
made through the services, dates derived from today (no fixed calendar)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches.services import accounts
from brands.models import BrandApplication
from common.uploads import clean_image
from flagship.services import cycle as cycles
from flagship.services import decision
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.factories import UserFactory, grant
from tests.flagship.conftest import accept, build_brand, png_upload, publish_result, score
from tests.ledger.conftest import Roster

#: A phone user types in a box at least this wide (CSS px).
MIN_INPUT_WIDTH = 80
TEMPORARY = "Linshi-Mima-2026"

#: Boxes one types in or picks from (not checkboxes, radios, hidden or file inputs).
TYPED = (
    "main input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file])"
    ":not([type=submit]):not([type=button]), main textarea, main select"
)


def assert_fits(page, *, boxes=True):
    """Nothing wider than the screen; no table scrolls sideways in its box; every visible
    typed box at least MIN_INPUT_WIDTH wide."""
    assert_no_horizontal_scroll(page)
    squeezed = page.locator("main .table-responsive").evaluate_all(
        "els => els.filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => (e.querySelector('[data-testid]') || e).outerHTML.slice(0, 120))"
    )
    assert not squeezed, f"tables scroll sideways at {page.url}: {squeezed}"
    if boxes:
        narrow = page.locator(TYPED).evaluate_all(
            f"els => els.filter(e => e.offsetParent && e.getBoundingClientRect().width"
            f" < {MIN_INPUT_WIDTH}).map(e => `${{e.name || e.id}}:"
            f"${{Math.round(e.getBoundingClientRect().width)}}`)"
        )
        assert not narrow, f"boxes narrower than {MIN_INPUT_WIDTH}px at {page.url}: {narrow}"


def open_page(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    expect(page.locator("main")).to_be_visible()


@pytest.fixture
def applying(org):
    """A1 and B1 have built brands and clean results; a cycle whose application window runs
    from yesterday for a month."""
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        build_brand(unit, secretary)
        publish_result(unit, "six-good", 92)
        publish_result(unit, "brand-five-forces", 85)
    today = timezone.localdate()
    cycle = cycles.create_cycle(
        actor=org.users["province_reviewer"],
        year_start=today.year + 1,
        data={
            "application_opens_on": today - timedelta(days=1),
            "application_closes_on": today + timedelta(days=30),
            "notice_starts_on": today + timedelta(days=40),
        },
    )
    province = org.users["province_reviewer"]
    return cycles.advance(actor=province, pk=cycle.pk, name="open_application")


def test_the_brand_and_candidacy_forms_fit(page, live_server, org, applying, screen):
    grant(org.users["secretary"], org.a2, "secretary")  # A2 has no brand yet: a new one
    login(page, live_server, "sec_a1")
    open_page(page, f"{live_server.url}/brands/new/{org.a2.pk}/")
    expect(page.locator("main form textarea").first).to_be_visible()
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/brand-form-{screen}.png", full_page=True)

    page.goto(f"{live_server.url}/flagship/cycles/{applying.pk}/apply/{org.a1.pk}/")
    expect(page.locator("main form textarea").first).to_be_visible()
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/candidacy-form-{screen}.png", full_page=True)


def test_the_dashboard_leads_to_the_returned_form_with_its_comment(
    page, live_server, org, screen, tmp_path, settings
):
    """The secretary's 工作台 lists what is due and by when (the open self-assessment with its
    closing date) and the returned brand with the reviewer's comment; its link opens the form,
    which shows the comment and who returned it. At both sizes, nothing wider than the screen."""
    from brands import services as brands
    from tests.brands.conftest import CONTENT
    from tests.brands.conftest import png_upload as logo
    from tests.evaluation.conftest import make_period

    settings.MEDIA_ROOT = tmp_path / "media"
    period = make_period(org)
    secretary = grant(org.users["secretary"], org.a2, "secretary")
    app = brands.save_application_draft(actor=secretary, unit=org.a2, data=CONTENT, logo=logo())
    brands.submit_application(actor=secretary, pk=app.pk)
    comment = "建设目标请量化到具体指标，" * 8  # a long comment wraps, it does not widen the page
    brands.return_application(actor=org.users["city_reviewer"], pk=app.pk, comment=comment)
    login(page, live_server, "sec_a1")
    items = page.get_by_test_id("work-item")
    due = items.filter(has_text=f"{period.name} 自评").first
    expect(due.get_by_test_id("due")).to_contain_text(f"{period.closes_on:%m-%d} 截止")
    returned = items.filter(has_text="已退回修改")
    expect(returned).to_contain_text(comment)
    assert_fits(page)
    returned.click()
    expect(page).to_have_url(f"{live_server.url}/brands/{app.pk}/edit/")
    expect(page.get_by_test_id("return-comment")).to_have_text(comment)
    expect(page.get_by_test_id("return-by")).to_contain_text("李组织")
    assert_fits(page)


@pytest.fixture
def voting(org, applying):
    """A1 and B1 named demonstration units, A1's brand with a logo: the vote is open."""
    cycle = applying
    second = grant(
        UserFactory(username="jury2", full_name="孙评委"), org.province, "flagship_committee"
    )
    cycles.add_member(actor=org.users["province_reviewer"], cycle_pk=cycle.pk, user=second)
    a1, b1 = accept(org, cycle, org.a1), accept(org, cycle, org.b1)
    for name in ("publish_notice", "start_management", "start_review"):
        cycle = cycles.advance(actor=org.users["province_reviewer"], pk=cycle.pk, name=name)
    for member in (org.users["committee_member"], second):
        score(member, a1, 45, 45)
        score(member, b1, 40, 40)
    brand = BrandApplication.objects.get(pk=a1.brand_id)
    image, thumb = clean_image(png_upload())
    brand.logo.save(image.content.name, image.content, save=False)
    brand.logo_thumb.save(thumb.content.name, thumb.content, save=False)
    brand.save()
    return decision.decide_units(
        actor=org.users["committee_member"], cycle_pk=cycle.pk, candidacy_ids=[a1.pk, b1.pk]
    )


def test_the_vote_page_shows_logo_and_link_and_fits(page, live_server, org, voting, screen):
    login(page, live_server, "member")
    open_page(page, f"{live_server.url}/flagship/cycles/{voting.pk}/vote/")
    row = page.locator("main label").filter(has=page.get_by_test_id(f"vote-{org.a1.code}"))
    logo = row.locator("img")
    expect(logo).to_be_visible()
    # the image did load (waited for: on a loaded machine it may still be on its way)
    page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=logo.element_handle())
    expect(page.get_by_test_id("vote-brand-link")).to_have_count(2)
    expect(row.get_by_test_id("vote-brand-link")).to_be_visible()
    assert_fits(page)
    # the checkbox is a comfortable target: the whole row is its label
    assert row.evaluate("e => e.getBoundingClientRect().height") >= 44
    page.screenshot(path=f"test-artifacts/vote-{screen}.png", full_page=True)


def test_the_vote_checks_the_count_then_asks(page, live_server, org, voting, screen):
    """Issue #14, item 3: none ticked is refused in the page with no dialog; with a unit ticked
    the dialog says the vote is final; cancelling casts nothing, confirming casts the vote."""
    from flagship.models import Ballot

    dialogs, accept = [], {"now": False}

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept() if accept["now"] else dialog.dismiss()

    login(page, live_server, "member")
    open_page(page, f"{live_server.url}/flagship/cycles/{voting.pk}/vote/")
    page.on("dialog", answer)
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id("vote-feedback")).to_contain_text("请选择 1 至")
    assert dialogs == []
    assert_fits(page)
    page.get_by_test_id(f"vote-{org.a1.code}").check()
    page.get_by_test_id("vote-submit").click()
    for _ in range(50):  # the dialog event reaches Python right after the click
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert len(dialogs) == 1 and "只能投票一次" in dialogs[0]
    assert not Ballot.objects.filter(cycle=voting).exists()
    accept["now"] = True
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id(f"vote-{org.a1.code}")).to_be_disabled()
    assert Ballot.objects.filter(cycle=voting, voter=org.users["member"]).count() == 1


def test_the_ledger_pages_fit(page, live_server, org, screen):
    Roster(org)
    login(page, live_server, "sec_a1")
    base = f"{live_server.url}/ledger/branch/{org.a1.pk}"
    pages = {"roster": "/", "records": "/records/", "record-form": "/records/new/"}
    pages["compliance"] = "/compliance/"
    for name, path in pages.items():
        open_page(page, base + path)
        assert_fits(page)
        page.screenshot(path=f"test-artifacts/ledger-{name}-{screen}.png", full_page=True)
    # the record form itself, past the choice of template (支部党员大会: attendance, photos)
    open_page(page, base + "/records/new/")
    page.locator("main a.list-group-item").first.click()
    expect(page.locator("main form textarea").first).to_be_visible()
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/ledger-record-{screen}.png", full_page=True)
    page.context.clear_cookies()
    login(page, live_server, "rev_a")
    open_page(page, f"{live_server.url}/ledger/compliance/")
    assert_fits(page)


def test_the_account_pages_fit(page, live_server, org, screen):
    login(page, live_server, "admin_p")
    open_page(page, f"{live_server.url}/org/accounts/")
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/accounts-{screen}.png", full_page=True)
    open_page(page, f"{live_server.url}/org/accounts/{org.users['secretary'].pk}/")
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/account-{screen}.png", full_page=True)


def test_the_forced_password_change_fits(page, live_server, org, screen):
    accounts.set_temporary_password(
        actor=org.users["admin"], user=org.users["secretary"], password=TEMPORARY
    )
    login(page, live_server, "sec_a1", TEMPORARY)
    expect(page).to_have_url(f"{live_server.url}/password/")
    expect(page.locator("main input[type=password]").first).to_be_visible()
    assert_fits(page)
    page.screenshot(path=f"test-artifacts/password-change-{screen}.png", full_page=True)
