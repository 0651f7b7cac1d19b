"""Flagship eligibility checks the six-good and five-force standing (#18 item 3): with the
cycle's top share S %, each latest published result must place within the first ⌈N × S / 100⌉
of its period's N published results; the page says why not, in Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from flagship.eligibility import check_eligibility, eligible_unit_ids, leads, top_places
from flagship.selectors.results import latest_results
from flagship.selectors.worklist import secretary_items
from flagship.services import cycle as cycles

from .conftest import publish_result

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("share", "of", "places"),
    [
        (Decimal(30), 0, 0),  # nobody published: no place
        (Decimal(30), 1, 1),  # 0.3 → the first still leads
        (Decimal(30), 3, 1),  # 0.9 → 1
        (Decimal(30), 4, 2),  # 1.2 → 2 (rounded up)
        (Decimal(30), 10, 3),  # exactly 3
        (Decimal(30), 11, 4),  # 3.3 → 4
        (Decimal(0), 5, 1),  # a share of 0 keeps the first place
        (Decimal(100), 5, 5),
        (Decimal("12.5"), 8, 1),  # exactly 1
    ],
)
def test_top_places_rounds_up(share, of, places):
    assert top_places(share, of) == places


@pytest.fixture
def ranked(eligible):
    """Six-good 2026: A2 95, A1 92, B1 85, GA 80 (4 results: the top 30 % are 2 places);
    five forces: A1 and B1 85 (tied first of 2)."""
    org = eligible
    publish_result(org.a2, "six-good", 95)
    publish_result(org.general_a, "six-good", 80)
    org.b1.assessments.filter(period__table_version__table__code="six-good").update(
        total=Decimal(85), rate=Decimal(85)
    )
    return org


def test_the_published_selector_gives_place_and_count(ranked):
    a1, b1 = latest_results(ranked.a1), latest_results(ranked.b1)
    assert (a1.six_good.place, a1.six_good.of) == (2, 4)
    assert (b1.six_good.place, b1.six_good.of) == (3, 4)
    assert (a1.five_forces.place, b1.five_forces.place, b1.five_forces.of) == (1, 1, 2)


@pytest.mark.parametrize("is_ranked", [True, False])
def test_the_published_selector_gives_each_unit_and_table_its_latest_result(ranked, is_ranked):
    """One row per unit and table, the latest period's (an older result is passed over), in
    no particular order: readers key the rows by unit and table."""
    from evaluation.selectors.published import FIVE_FORCES, SIX_GOOD, latest_published

    publish_result(ranked.a1, "six-good", 50, ends=datetime.date(2025, 12, 31))
    units = [ranked.a1.pk, ranked.b1.pk, ranked.a2.pk]
    found = latest_published(units, [SIX_GOOD, FIVE_FORCES], ranked=is_ranked)
    rows = {(r.unit_id, r.table_code): r for r in found}
    assert len(rows) == len(found) == 5  # a2 has no five-force result
    a1 = rows[(ranked.a1.pk, SIX_GOOD)]
    assert (a1.total, a1.period_ends_on) == (Decimal(92), datetime.date(2026, 12, 31))
    places = {key: (r.place, r.of) for key, r in rows.items()}
    if is_ranked:
        assert places[(ranked.a1.pk, SIX_GOOD)] == (2, 4)
        assert places[(ranked.b1.pk, FIVE_FORCES)] == (1, 2)
    else:
        assert set(places.values()) == {(None, None)}


def test_the_few_units_read_gives_the_windows_rows(ranked, monkeypatch):
    """A few units, unranked (the 工作台's hint): their results read and the latest kept in
    Python are the window query's rows — older periods passed over, two periods ending the
    same day decided by the newer row, a draft and a unit without results left out."""
    from evaluation.selectors import published
    from evaluation.selectors.published import FIVE_FORCES, SIX_GOOD, latest_published

    publish_result(ranked.a1, "six-good", 50, ends=datetime.date(2025, 12, 31))
    publish_result(ranked.a1, "six-good", 40, ends=datetime.date(2026, 6, 30))
    same_day = ranked.b1.assessments.get(period__table_version__table__code="six-good").period
    same_day.pk, same_day.name, same_day.kind = None, "同日另一期", "monthly"
    same_day.starts_on = datetime.date(2026, 12, 1)
    same_day.save()
    ranked.b1.assessments.create(
        period=same_day, status="published", total=70, max_total=100, rate=70
    )
    draft = publish_result(ranked.a2, "brand-five-forces", 99, ends=datetime.date(2027, 1, 31))
    draft.status = "draft"
    draft.save(update_fields=["status"])
    units = [ranked.a1.pk, ranked.b1.pk, ranked.a2.pk, ranked.general_a.pk, ranked.city_a.pk]
    few = latest_published(units, [SIX_GOOD, FIVE_FORCES], ranked=False)
    monkeypatch.setattr(published, "FEW_UNITS", 0)
    windowed = latest_published(units, [SIX_GOOD, FIVE_FORCES], ranked=False)

    def by_key(rows):
        return {(r.unit_id, r.table_code): r for r in rows}

    assert len(few) == len(by_key(few)) == 6
    assert by_key(few) == by_key(windowed)
    assert by_key(few)[(ranked.b1.pk, SIX_GOOD)].period_name == "同日另一期"


def test_a_branch_outside_the_top_share_is_told_why(ranked, open_cycle):
    assert open_cycle.standing_top_share == Decimal(30)  # the shipped default
    assert check_eligibility(ranked.a1, cycle=open_cycle).ok
    verdict = check_eligibility(ranked.b1, cycle=open_cycle)
    assert verdict.reasons == [
        "本支部在最近一期六好党支部考评（2026年度“六好”党支部建设考核评价表）中位列第 3 名"
        "（共 4 个单位），"
        "未进入该期结果的前 30%（前 2 名），本周期不能申报。"
    ]
    assert eligible_unit_ids([ranked.a1, ranked.b1], cycle=open_cycle) == {ranked.a1.pk}


def test_a_tie_at_the_boundary_stands(ranked, open_cycle):
    ranked.b1.assessments.filter(period__table_version__table__code="six-good").update(
        total=Decimal(92), rate=Decimal(92)
    )  # tied with A1 for second place
    assert check_eligibility(ranked.b1, cycle=open_cycle).ok


def test_the_five_force_standing_is_checked_too(ranked, open_cycle):
    ranked.b1.assessments.update(total=Decimal(95), rate=Decimal(95))  # first in six-good
    ranked.a1.assessments.filter(period__table_version__table__code="brand-five-forces").update(
        total=Decimal(90), rate=Decimal(90)
    )
    for unit in (ranked.a2, ranked.general_a, ranked.group_a1):
        publish_result(unit, "brand-five-forces", 70)
    # five forces: A1 90, B1 95, three at 70 → 5 results, top 30 % = 2 places: both lead
    assert check_eligibility(ranked.b1, cycle=open_cycle).ok
    ranked.b1.assessments.filter(period__table_version__table__code="brand-five-forces").update(
        total=Decimal(60), rate=Decimal(60)
    )
    (reason,) = check_eligibility(ranked.b1, cycle=open_cycle).reasons
    assert (
        "最近一期品牌五力考评" in reason
        and "中位列第 5 名（共 5 个单位）" in reason
        and "前 2 名" in reason
    )


def test_a_blank_share_checks_nothing_and_a_missing_result_is_not_held_against(ranked, open_cycle):
    cycle = cycles.update_cycle(
        actor=ranked.users["province_reviewer"],
        pk=open_cycle.pk,
        data={"standing_top_share": None},
    )
    assert cycle.standing_top_share is None
    assert check_eligibility(ranked.b1, cycle=cycle).ok
    assert leads(None, Decimal(30))  # e.g. a 党总支, never assessed on the six-good table


def test_the_apply_page_and_the_cycle_page_say_why_not(client, ranked, open_cycle):
    client.force_login(ranked.sec_b1)
    page = client.get(reverse("flagship:apply", args=[open_cycle.pk, ranked.b1.pk]))
    assert "未进入该期结果的前 30%（前 2 名）" in page.content.decode()
    index = client.get(reverse("flagship:index")).content.decode()
    assert 'data-testid="ineligible"' in index and "位列第 3 名" in index
    client.force_login(ranked.users["secretary"])
    form = client.get(reverse("flagship:apply", args=[open_cycle.pk, ranked.a1.pk]))
    assert 'data-testid="place-six-good">2 / 4<' in form.content.decode()  # the committee sees it
    client.force_login(ranked.users["province_reviewer"])
    detail = client.get(reverse("flagship:cycle", args=[open_cycle.pk])).content.decode()
    assert 'data-testid="standing-share">30%' in detail


def test_the_dashboard_hint_follows_the_standing(ranked, open_cycle):
    assert not [i for i in secretary_items(ranked.sec_b1) if "申报" in str(i.title)]
    assert [i for i in secretary_items(ranked.users["secretary"]) if i.unit == ranked.a1.name]
