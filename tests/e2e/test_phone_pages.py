"""The secretary's self-assessment and a published result on a desk and on a phone: at 390 px
each indicator is a card with its text at full width, score boxes are wide enough to type in,
nothing is wider than the screen, and the radar chart's labels can be read."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Assessment
from tests.e2e.conftest import assert_no_horizontal_scroll, login
from tests.evaluation.conftest import make_period, publish_all

#: A phone user types in a box at least this wide (CSS px), and reads labels at least this tall.
MIN_INPUT_WIDTH = 80
MIN_LABEL_PX = 10


@pytest.fixture
def period(org):
    return make_period(org)


def test_the_self_assessment_form_fits_the_screen(page, live_server, org, period, screen):
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/fill/")
    expect(page.get_by_test_id("fill-table").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    widths = page.locator("input.score-input").evaluate_all(
        "els => els.filter(e => !e.disabled).map(e => e.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= MIN_INPUT_WIDTH, widths
    # the indicator's text gets the card's width, not a sliver of a squeezed column
    text_width = page.locator("[data-testid=fill-table] tbody td:nth-child(2)").first.evaluate(
        "e => e.getBoundingClientRect().width"
    )
    assert text_width >= (300 if screen == "phone" else 250), text_width
    page.screenshot(path=f"test-artifacts/fill-{screen}.png", full_page=False)


def test_the_radar_chart_labels_can_be_read(page, live_server, org, period, screen):
    publish_all(org, period)
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    login(page, live_server, "sec_a1")
    page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/")
    radar = page.get_by_test_id("radar")
    expect(radar).to_be_visible()
    assert_no_horizontal_scroll(page)
    heights = radar.locator("text > tspan:first-child").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= MIN_LABEL_PX, heights
    radar.screenshot(path=f"test-artifacts/radar-{screen}.png")


def test_a_published_result_with_every_figure_fits_the_screen(
    page, live_server, org, period, screen
):
    """The province reviewer sees the most a result card holds (total, stars, tier, the rank
    with the province and region ranks, the self total): on a phone the figures wrap onto
    further lines instead of pushing the page wider."""
    publish_all(org, period)
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    login(page, live_server, "rev_p")
    page.goto(f"{live_server.url}/evaluation/assessments/{a1.pk}/")
    expect(page.get_by_test_id("rank-wide")).to_be_visible()
    assert_no_horizontal_scroll(page)
    card = page.get_by_test_id("result").bounding_box()
    for box in page.locator("[data-testid=result-figures] > *").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= card["x"] + card["width"] + 0.5
