"""The 擦亮 record form offers the recent periods, this half-year pre-selected, cut at the
Asia/Shanghai midnight between June and July."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from brands import lifecycle
from brands.models import BrandApplication, ShineKind, ShineRecord, Status
from tests.clock import local

LAST_SECOND_OF_H1 = local(2026, 6, 30, 23, 59, 59)
FIRST_SECOND_OF_H2 = local(2026, 7, 1, 0, 0, 0)


@pytest.fixture
def make_app(org):
    def make():
        return BrandApplication.objects.create(
            unit=org.a1,
            applicant=org.users["secretary"],
            status=Status.IMPLEMENTING,
            name="红色引擎",
            revision_number=1,
            approved_at=timezone.now(),
        )

    return make


def period_select(page: str) -> tuple[list[str], list[str]]:
    """The options of the period select and the selected ones."""
    select = re.search(r'<select name="period".*?</select>', page, re.S)
    assert select, "the period is a select"
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select[0])
    return [v for v, _ in options], [v for v, attrs in options if "selected" in attrs]


@pytest.mark.parametrize(
    ("instant", "halves", "quarters"),
    [
        (
            LAST_SECOND_OF_H1,
            ["2026H1", "2025H2", "2025H1", "2024H2"],
            ["2026Q2", "2026Q1", "2025Q4", "2025Q3"],
        ),
        (
            FIRST_SECOND_OF_H2,
            ["2026H2", "2026H1", "2025H2", "2025H1"],
            ["2026Q3", "2026Q2", "2026Q1", "2025Q4"],
        ),
    ],
)
def test_the_form_offers_recent_periods_this_half_year_selected(
    client, org, make_app, instant, halves, quarters
):
    with time_machine.travel(instant, tick=False):
        app = make_app()
        client.force_login(org.users["secretary"])
        page = client.get(reverse("brands:lifecycle", args=[app.pk])).content.decode()
        options, selected = period_select(page)
        assert options == halves + quarters
        assert selected == [halves[0]]
        assert lifecycle.recent_periods() == {"half": halves, "quarter": quarters}


def test_the_preselected_period_is_accepted_at_its_first_second(client, org, make_app):
    with time_machine.travel(FIRST_SECOND_OF_H2, tick=False):
        app = make_app()
        client.force_login(org.users["secretary"])
        response = client.post(
            reverse("brands:add_shine_record", args=[app.pk]),
            {"period": "2026H2", "kind": ShineKind.CASE, "title": "案例", "text": "x"},
        )
    assert response.status_code == 302
    assert ShineRecord.objects.get().period == "2026H2"


def test_a_period_typed_by_hand_is_checked_by_the_one_rule_and_kept(client, org, make_app):
    with time_machine.travel(FIRST_SECOND_OF_H2, tick=False):
        app = make_app()
        client.force_login(org.users["secretary"])
        response = client.post(
            reverse("brands:add_shine_record", args=[app.pk]),
            {"period": "2026H3", "kind": ShineKind.CASE, "title": "保留标题", "text": "x"},
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert str(lifecycle.PERIOD_HELP) in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert period_select(page)[1] == ["2026H3"] and 'value="保留标题"' in page
    assert not ShineRecord.objects.exists()
