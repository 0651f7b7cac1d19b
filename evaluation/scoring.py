"""The scoring rules, as pure functions: indicator rows and scores in, totals, veto, star and
tier out. No Django and no database here, so the rules can be read in one place and
property-tested; `services` calls them inside the transaction that changes the scores, and the
aggregate periods apply `aggregate` to sums the database computed.

The rules:

* Basic and special indicators earn from 0 to their `max_points`; the table maximum is the sum
  of the maxima of the items that apply to the unit (universal items plus the variants of its
  category). Without a bonus a total can therefore never exceed the maximum.
* Per-category weights (分类权重): a version may weigh a dimension for the branches of a
  category; the total counts that dimension's score × its weight and the maximum its maximum ×
  the same weight (so the rate stays a share of what could be earned). No weight: 1. The
  dimension scores themselves (radar, averages) stay unweighted.
* Bonus items (加分项) recorded by the upper level add their sum to the total, after the
  weights and before the veto; the version's cap bounds the sum (`services.bonus`), and the
  rate may then pass 100 %.
* A deduction item takes off from 0 to its `max_points`. Unless the table version allows
  negative totals, a dimension and the total stop at 0.
* A veto item (否决项目) has score 1 when triggered. Any triggered veto voids the result
  (一票否决): the effective total is 0, there is no star, and the tier is 3 (rectify).
* The star follows the score rate (total / maximum, in %) and the version's thresholds:
  rate ≥ star5 → 5 stars, ≥ star4 → 4, ≥ star3 → 3, ≥ star2 → 2, otherwise 1. The thresholds
  must be monotone (star2 ≤ star3 ≤ star4 ≤ star5), so a higher total never earns fewer stars.
* Tier (梯队): 5 stars → tier 1 (consolidate, aim for a brand); 3–4 stars → tier 2 (deepen);
  fewer than 3 or voided → tier 3 (rectify).
* Aggregation (月评价、季评星、年定级): a quarter's result per indicator, per dimension and in
  total is the sum of its months' published results divided by the number of months in the
  quarter; a year's is the sum of its quarters divided by the number of quarters. A period
  without a published result counts 0, so the order is that of the accumulated score (累计) and
  the scale stays the table's. A veto in any source period voids the aggregate.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BASIC, SPECIAL, DEDUCTION, VETO = "basic", "special", "deduction", "veto"
EARNING_KINDS = (BASIC, SPECIAL)
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def q(value) -> Decimal:
    """Round to hundredths of a point, half up (as people round on paper)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Item:
    """An indicator as the rules see it."""

    id: int
    dimension_id: int
    kind: str
    max_points: Decimal
    category: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Minimum score rates (%) for 2–5 stars."""

    star2: Decimal
    star3: Decimal
    star4: Decimal
    star5: Decimal

    def __post_init__(self):
        values = [Decimal(v) for v in (self.star2, self.star3, self.star4, self.star5)]
        if not (ZERO <= values[0] <= values[1] <= values[2] <= values[3] <= HUNDRED):
            raise ValueError("star thresholds must satisfy 0 <= star2 <= … <= star5 <= 100")

    def minima(self) -> tuple[tuple[int, Decimal], ...]:
        """(star, minimum rate), highest star first."""
        return ((5, self.star5), (4, self.star4), (3, self.star3), (2, self.star2))


DEFAULT_THRESHOLDS = Thresholds(Decimal(60), Decimal(70), Decimal(80), Decimal(90))


@dataclass(frozen=True)
class Result:
    total: Decimal  # effective: 0 when vetoed
    gross_total: Decimal  # what the scores add up to, before the veto
    max_total: Decimal
    rate: Decimal
    vetoed: bool
    star: int | None
    tier: int
    dimensions: Mapping[int, Decimal] = field(default_factory=dict)
    dimension_max: Mapping[int, Decimal] = field(default_factory=dict)
    vetoed_by: tuple[int, ...] = ()
    #: The star the rate earns when the step rule gave a lower `star` (else None).
    star_by_rate: int | None = None
    bonus: Decimal = ZERO


def applicable(items: Iterable[Item], category: str = "") -> list[Item]:
    """The universal items plus the variants for `category`."""
    return [i for i in items if not i.category or i.category == category]


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def clamp(item: Item, value) -> Decimal:
    """A score brought into the item's range: missing → 0; veto → 0 or 1."""
    number = to_decimal(value)
    if number is None or number <= 0:
        return ZERO
    if item.kind == VETO:
        return ONE
    return q(min(number, Decimal(item.max_points)))


def problems(items: Iterable[Item], scores: Mapping[int, object]) -> dict[int, str]:
    """Scores a person typed that the rules would have to change, by item id: "not_number",
    "negative" or "above_max". Services turn these into messages; `compute` clamps anyway."""
    found = {}
    for item in items:
        raw = scores.get(item.id)
        if raw is None or raw == "":
            continue
        number = to_decimal(raw)
        if number is None:
            found[item.id] = "not_number"
        elif number < 0:
            found[item.id] = "negative"
        elif item.kind != VETO and number > Decimal(item.max_points):
            found[item.id] = "above_max"
    return found


def weight_of(weights: Mapping[int, object] | None, dimension_id: int) -> Decimal:
    """A dimension's weight for the unit's category: 1 unless the version set one."""
    if not weights or dimension_id not in weights:
        return ONE
    return Decimal(weights[dimension_id])


def maximum(items: Iterable[Item], weights: Mapping[int, object] | None = None) -> Decimal:
    """The table maximum for these items: each earning item's maximum × its dimension's
    weight (`weights`: dimension id → weight; missing → 1)."""
    return q(
        sum(
            (
                Decimal(i.max_points) * weight_of(weights, i.dimension_id)
                for i in items
                if i.kind in EARNING_KINDS
            ),
            ZERO,
        )
    )


def dimension_maximum(items: Iterable[Item]) -> dict[int, Decimal]:
    result: dict[int, Decimal] = {}
    for i in items:
        result.setdefault(i.dimension_id, ZERO)
        if i.kind in EARNING_KINDS:
            result[i.dimension_id] += Decimal(i.max_points)
    return {k: q(v) for k, v in result.items()}


def rate_of(total: Decimal, max_total: Decimal) -> Decimal:
    if not max_total:
        return ZERO
    return q(Decimal(total) * HUNDRED / Decimal(max_total))


def star_for(rate: Decimal, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    for star, minimum in thresholds.minima():
        if rate >= minimum:
            return star
    return 1


def stepped_star(star: int | None, previous: int | None, max_rise: int | None) -> int | None:
    """逐级晋升: a quarter's star rises at most `max_rise` above the previous quarter's
    (`previous`: its star, 0 when that result carried none — voided —, None when the unit had
    no result then: a first rating is not limited). No rule (`max_rise` None): the star
    stands. Never lowers a star."""
    if star is None or max_rise is None or previous is None:
        return star
    return min(star, max(previous, 1) + max_rise)


def tier_for(star: int | None) -> int:
    if star is None or star < 3:
        return 3
    return 1 if star >= 5 else 2


def compute(
    items: Iterable[Item],
    scores: Mapping[int, object],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    allow_negative: bool = False,
    weights: Mapping[int, object] | None = None,
    bonus=ZERO,
) -> Result:
    """The result of one assessment. `items` are the items that apply to the unit (see
    `applicable`); `scores` maps item id → score (missing means 0 / not triggered);
    `weights` the dimensions' weights for the unit's category; `bonus` the upper level's
    bonus items summed (加分项)."""
    items = list(items)
    dimensions: dict[int, Decimal] = {}
    vetoed_by = []
    for item in items:
        value = clamp(item, scores.get(item.id))
        dimensions.setdefault(item.dimension_id, ZERO)
        if item.kind in EARNING_KINDS:
            dimensions[item.dimension_id] += value
        elif item.kind == DEDUCTION:
            dimensions[item.dimension_id] -= value
        elif item.kind == VETO and value:
            vetoed_by.append(item.id)
    if not allow_negative:
        dimensions = {k: max(v, ZERO) for k, v in dimensions.items()}
    bonus = q(max(to_decimal(bonus) or ZERO, ZERO))
    gross = sum((v * weight_of(weights, k) for k, v in dimensions.items()), ZERO) + bonus
    if not allow_negative:
        gross = max(gross, ZERO)
    max_total = maximum(items, weights)
    return _result(
        q(gross),
        max_total,
        vetoed=bool(vetoed_by),
        thresholds=thresholds,
        dimensions={k: q(v) for k, v in dimensions.items()},
        dimension_max=dimension_maximum(items),
        vetoed_by=tuple(vetoed_by),
        bonus=bonus,
    )


def _result(gross, max_total, *, vetoed, thresholds, **extra) -> Result:
    total = ZERO if vetoed else gross
    rate = rate_of(total, max_total)
    star = None if vetoed else star_for(rate, thresholds)
    return Result(
        total=q(total),
        gross_total=q(gross),
        max_total=q(max_total),
        rate=rate,
        vetoed=vetoed,
        star=star,
        tier=tier_for(star),
        **extra,
    )


def mean_over_periods(value_sum, periods: int) -> Decimal:
    """A source value summed over the published source periods, spread over all of them."""
    if periods <= 0:
        return ZERO
    return q(Decimal(value_sum or 0) / periods)


def aggregate(
    total_sum,
    *,
    periods: int,
    any_vetoed: bool,
    max_total: Decimal,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    previous_star: int | None = None,
    max_rise: int | None = None,
) -> Result:
    """The result of an aggregate period from the sums over its sources' published results
    (computed by the database): mean over all source periods; any veto voids it. A quarter
    under the step rule (`max_rise`) rises at most that far above `previous_star`
    (`stepped_star`). The aggregate's dimension and item rows are the same mean written in SQL
    (`evaluation.services.periods._mean`, tested against `mean_over_periods`)."""
    gross = mean_over_periods(total_sum, periods)
    result = _result(
        gross,
        max_total,
        vetoed=any_vetoed,
        thresholds=thresholds,
    )
    star = stepped_star(result.star, previous_star, max_rise)
    if star == result.star:
        return result
    return replace(result, star=star, tier=tier_for(star), star_by_rate=result.star)
