"""The only place flagship reads evaluation: the latest *published* six-good and five-force
results of branches, through `evaluation.selectors.published.latest_published` (evaluation
decides what "published" means). Narrow on purpose (a handful of columns), so evaluation can
change its internals without breaking the flagship cycle.

"The relevant assessment period" for the veto rule is, per table, the latest published period
of the unit (by the period's end date); a veto in either result makes the branch ineligible.
The standing rule reads each result's place among that period's published results.

The five-force score also comes from the brand's acceptance (验收评审 is scored on the
five-force table: `brands.selectors.acceptance.acceptance_results_for`, its place among the
latest passed acceptance scores of every brand, by rate). Of a published five-force period
result and the acceptance score, the more recent one stands (the period's end date against
the day of the acceptance; on the same day the period's).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from brands.selectors.acceptance import acceptance_results_for
from evaluation.selectors.published import FIVE_FORCES, SIX_GOOD, latest_published

TABLES = (SIX_GOOD, FIVE_FORCES)


@dataclass(frozen=True)
class Result:
    table: str
    period: str
    period_ends_on: str
    total: Decimal | None
    max_total: Decimal | None
    rate: Decimal | None
    is_vetoed: bool
    veto_reason: str = ""
    #: Place among the period's published results (ties share one) and how many there are.
    place: int | None = None
    of: int | None = None

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("total", "max_total", "rate"):
            data[key] = None if data[key] is None else str(data[key])
        return data


@dataclass(frozen=True)
class LatestResults:
    six_good: Result | None = None
    five_forces: Result | None = None

    @property
    def is_vetoed(self) -> bool:
        return any(r.is_vetoed for r in (self.six_good, self.five_forces) if r)

    def rate_for(self, source: str) -> Decimal | None:
        result = {"six_good": self.six_good, "five_forces": self.five_forces}.get(source)
        return result.rate if result is not None else None

    def as_json(self) -> dict:
        return {
            "six_good": self.six_good.as_json() if self.six_good else None,
            "five_forces": self.five_forces.as_json() if self.five_forces else None,
            "is_vetoed": self.is_vetoed,
        }


def latest_results_for(
    unit_ids, *, ranked: bool = True, vetoes_only: bool = False
) -> dict[int, LatestResults]:
    """{unit id: LatestResults} for many units in two queries (a window function per unit and
    table; the brands' acceptance scores); units without results map to an empty
    LatestResults. `ranked=False`: without each result's place (None), which only the
    standing rule reads, and the counts that find it.

    `vetoes_only=True` (unranked): the results answer `is_vetoed` only, exactly; their
    five-force result may not be the one that stands. An acceptance score never carries a
    veto and can only lift one (a published five-force veto it outdates), so the acceptance
    scores are read only for the units whose veto it could lift (a five-force veto, no
    six-good one), and not at all when there is none: one query in the usual case."""
    unit_ids = list(unit_ids)
    ranked = ranked and not vetoes_only
    found: dict[int, dict] = {uid: {} for uid in unit_ids}
    if not unit_ids:
        return {}
    for row in latest_published(unit_ids, TABLES, ranked=ranked):
        key = "six_good" if row.table_code == SIX_GOOD else "five_forces"
        found[row.unit_id][key] = Result(
            table=row.table_code,
            period=row.period_name,
            period_ends_on=row.period_ends_on.isoformat(),
            total=row.total,
            max_total=row.max_total,
            rate=row.rate,
            is_vetoed=row.is_vetoed,
            veto_reason=row.veto_reason,
            place=row.place,
            of=row.of,
        )
    if vetoes_only:
        unit_ids = [uid for uid, parts in found.items() if _veto_acceptance_may_lift(parts)]
    accepted_by_unit = acceptance_results_for(unit_ids, ranked=ranked) if unit_ids else {}
    for uid, accepted in accepted_by_unit.items():
        published = found[uid].get("five_forces")
        on = accepted.reviewed_on.isoformat()
        if published is None or published.period_ends_on < on:
            found[uid]["five_forces"] = Result(
                table=FIVE_FORCES,
                period=_("品牌验收评审 %(date)s") % {"date": on},
                period_ends_on=on,
                total=accepted.total,
                max_total=accepted.max_total,
                rate=accepted.rate,
                is_vetoed=False,
                place=accepted.place,
                of=accepted.of,
            )
    return {uid: LatestResults(**parts) for uid, parts in found.items()}


def _veto_acceptance_may_lift(parts: dict) -> bool:
    """A newer acceptance score would make these results unvetoed (see `vetoes_only`)."""
    six, five = parts.get("six_good"), parts.get("five_forces")
    return five is not None and five.is_vetoed and not (six is not None and six.is_vetoed)


def latest_results(unit) -> LatestResults:
    """The unit's latest published six-good and five-force results (total, rate, veto)."""
    unit_id = getattr(unit, "pk", unit)
    return latest_results_for([unit_id])[unit_id]
