"""Property-based tests of the pure scoring rules (evaluation/scoring.py)."""

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evaluation import scoring
from evaluation.scoring import BASIC, DEDUCTION, SPECIAL, VETO, Item, Thresholds

points = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
any_score = st.one_of(
    st.none(),
    st.decimals(min_value=-100, max_value=200, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "abc", "1e3", "NaN", "-0"]),
)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def tables(draw, min_items=1):
    n = draw(st.integers(min_value=min_items, max_value=15))
    items = []
    for i in range(n):
        kind = draw(st.sampled_from([BASIC, BASIC, SPECIAL, DEDUCTION, VETO]))
        max_points = Decimal(0) if kind == VETO else draw(points.filter(lambda p: p > 0))
        category = draw(st.sampled_from(["", "", "production", "market"]))
        items.append(Item(i + 1, draw(st.integers(1, 4)), kind, max_points, category))
    return items


@st.composite
def thresholds(draw):
    values = sorted(draw(st.lists(rates, min_size=4, max_size=4)))
    return Thresholds(*values)


@st.composite
def scored(draw):
    items = draw(tables())
    scores = {i.id: draw(any_score) for i in items}
    return items, scores


@given(scored(), thresholds(), st.booleans())
def test_total_never_exceeds_the_table_maximum(case, limits, allow_negative):
    items, scores = case
    result = scoring.compute(items, scores, thresholds=limits, allow_negative=allow_negative)
    assert result.total <= result.max_total == scoring.maximum(items)
    assert result.gross_total <= result.max_total
    for dim, value in result.dimensions.items():
        assert value <= result.dimension_max[dim]
    assert result.rate <= 100


@given(scored(), thresholds())
def test_deductions_never_push_below_zero_unless_the_table_allows(case, limits):
    items, scores = case
    result = scoring.compute(items, scores, thresholds=limits, allow_negative=False)
    assert result.total >= 0 and result.gross_total >= 0
    assert all(v >= 0 for v in result.dimensions.values())


@given(scored())
def test_with_negative_allowed_the_floor_is_the_sum_of_the_deductions(case):
    items, scores = case
    result = scoring.compute(items, scores, allow_negative=True)
    floor = -sum((i.max_points for i in items if i.kind == DEDUCTION), Decimal(0))
    assert result.gross_total >= floor
    # with no clamping the dimensions add up to the total
    assert sum(result.dimensions.values(), Decimal(0)) == result.gross_total


@given(scored(), thresholds(), st.booleans(), st.data())
def test_a_triggered_veto_always_voids(case, limits, allow_negative, data):
    items, scores = case
    vetoes = [i for i in items if i.kind == VETO]
    assume(vetoes)
    triggered = data.draw(st.sampled_from(vetoes))
    scores = {**scores, triggered.id: data.draw(st.sampled_from([1, "1", Decimal("0.5"), 7]))}
    result = scoring.compute(items, scores, thresholds=limits, allow_negative=allow_negative)
    assert result.vetoed and triggered.id in result.vetoed_by
    assert result.total == 0 and result.star is None and result.tier == 3


@given(scored())
def test_without_a_triggered_veto_the_result_stands(case):
    items, scores = case
    scores = {
        k: (0 if next(i for i in items if i.id == k).kind == VETO else v) for k, v in scores.items()
    }
    result = scoring.compute(items, scores)
    assert not result.vetoed and result.total == result.gross_total
    assert result.star in range(1, 6)


@given(thresholds(), rates, rates)
def test_star_is_monotone_in_the_rate(limits, a, b):
    low, high = sorted((a, b))
    assert 1 <= scoring.star_for(low, limits) <= scoring.star_for(high, limits) <= 5


@given(thresholds(), rates)
def test_star_meets_its_threshold(limits, rate):
    star = scoring.star_for(rate, limits)
    minima = dict(limits.minima())
    if star > 1:
        assert rate >= minima[star]
    if star < 5:
        assert rate < minima[star + 1]


@given(st.lists(rates, min_size=4, max_size=4, unique=True))
def test_thresholds_out_of_order_are_refused(values):
    assume(values != sorted(values))
    with pytest.raises(ValueError):
        Thresholds(*values)


@given(scored(), scored(), thresholds())
def test_a_higher_total_on_the_same_table_never_earns_fewer_stars(a, b, limits):
    items, scores_a = a
    scores_b = {i.id: s for i, s in zip(items, b[1].values(), strict=False)}
    ra = scoring.compute(items, scores_a, thresholds=limits)
    rb = scoring.compute(items, scores_b, thresholds=limits)
    assume(not ra.vetoed and not rb.vetoed)
    if ra.total <= rb.total:
        assert ra.star <= rb.star
        assert ra.tier >= rb.tier


@pytest.mark.parametrize(("star", "tier"), [(5, 1), (4, 2), (3, 2), (2, 3), (1, 3), (None, 3)])
def test_tiers(star, tier):
    assert scoring.tier_for(star) == tier


@given(scored(), st.integers(min_value=1, max_value=12))
def test_aggregating_identical_periods_gives_the_same_result(case, n):
    items, scores = case
    one = scoring.compute(items, scores)
    agg = scoring.aggregate(
        one.total * n,
        periods=n,
        any_vetoed=one.vetoed,
        max_total=one.max_total,
    )
    assert (agg.total, agg.star, agg.tier, agg.vetoed) == (
        one.total,
        one.star,
        one.tier,
        one.vetoed,
    )
    # the aggregate's dimension rows are this mean, written in SQL (periods._mean)
    assert {k: scoring.mean_over_periods(v * n, n) for k, v in one.dimensions.items()} == dict(
        one.dimensions
    )


@given(st.lists(scored(), min_size=1, max_size=4), st.integers(min_value=0, max_value=3))
def test_aggregate_missing_periods_count_zero_and_any_veto_voids(results, missing):
    items = results[0][0]
    computed = [
        scoring.compute(items, {i.id: s for i, s in zip(items, r[1].values(), strict=False)})
        for r in results
    ]
    periods = len(computed) + missing
    agg = scoring.aggregate(
        sum((r.total for r in computed), Decimal(0)),
        periods=periods,
        any_vetoed=any(r.vetoed for r in computed),
        max_total=scoring.maximum(items),
    )
    assert agg.total <= agg.max_total
    if any(r.vetoed for r in computed):
        assert agg.vetoed and agg.total == 0 and agg.star is None
    else:
        assert agg.total <= max(r.total for r in computed)


def test_category_variants_apply_only_to_their_category():
    items = [
        Item(1, 1, BASIC, Decimal(60)),
        Item(2, 2, SPECIAL, Decimal(40), "production"),
        Item(3, 2, SPECIAL, Decimal(40), "market"),
    ]
    production = scoring.applicable(items, "production")
    assert [i.id for i in production] == [1, 2]
    assert scoring.maximum(production) == 100


def test_problems_are_reported_not_silently_fixed():
    items = [Item(1, 1, BASIC, Decimal(10)), Item(2, 1, DEDUCTION, Decimal(5))]
    assert scoring.problems(items, {1: "11", 2: "-1"}) == {1: "above_max", 2: "negative"}
    assert scoring.problems(items, {1: "x"}) == {1: "not_number"}
    assert scoring.problems(items, {1: "10", 2: ""}) == {}


def test_a_worked_example():
    """60 + 30 earned, 15 deducted of a 10-point cap, on a 100-point table: 80 → 4 stars."""
    items = [
        Item(1, 1, BASIC, Decimal(60)),
        Item(2, 2, SPECIAL, Decimal(40)),
        Item(3, 2, DEDUCTION, Decimal(10)),
        Item(4, 2, VETO, Decimal(0)),
    ]
    result = scoring.compute(items, {1: 60, 2: "30", 3: 15, 4: 0})
    assert result.total == Decimal("80.00") and result.star == 4 and result.tier == 2
    assert result.dimensions == {1: Decimal(60), 2: Decimal(20)}


@settings(max_examples=50)
@given(tables(), thresholds())
def test_full_marks_earn_five_stars_unless_vetoed(items, limits):
    assume(scoring.maximum(items) > 0)
    scores = {i.id: (i.max_points if i.kind in (BASIC, SPECIAL) else 0) for i in items}
    result = scoring.compute(items, scores, thresholds=limits)
    assert result.total == result.max_total and result.rate == 100 and result.star == 5


bonuses = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)


@given(scored(), thresholds(), bonuses)
def test_a_bonus_adds_to_the_total_never_lowers_the_star_and_a_veto_still_voids(
    case, limits, bonus
):
    items, scores = case
    plain = scoring.compute(items, scores, thresholds=limits)
    lifted = scoring.compute(items, scores, thresholds=limits, bonus=bonus)
    assert lifted.max_total == plain.max_total
    if plain.vetoed:
        assert lifted.total == 0 and lifted.star is None
    else:
        assert lifted.total == plain.total + bonus
        assert lifted.star >= plain.star


weights = st.dictionaries(
    st.integers(1, 4),
    st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False),
)


@given(scored(), weights)
def test_weighted_totals_never_exceed_the_weighted_maximum(case, weighting):
    items, scores = case
    result = scoring.compute(items, scores, weights=weighting)
    assert result.total <= result.max_total == scoring.maximum(items, weighting)
    assert result.rate <= 100
    assert result.dimensions == scoring.compute(items, scores).dimensions  # radar unweighted
