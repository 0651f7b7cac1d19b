"""The sections read from other apps: assessment ranking highlights (evaluation) and flagship
progress (flagship). Each asks the owning app's selectors for its figures
(`evaluation.selectors.published`, `flagship.selectors.progress_by_committee`) and returns
`None` (the bulletin then says 本月无数据) when the month has none."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from branches.models import OrgUnit
from evaluation.selectors import published
from flagship.selectors import progress_by_committee

from .common import CountsRow, committee_rows, sum_rows, total_label
from .months import month_bounds

SUM_KEYS = published.COMMITTEE_FIGURES


def _mean(total, count):
    return None if not count or total is None else Decimal(total) / count


@dataclass
class RankingSection:
    period: object  # evaluation.models.AssessmentPeriod
    rows: list[CountsRow]
    totals: CountsRow
    top: list[tuple]  # (rank, committee, branch, category label, total, rate, star)


TOP_N = 10


def ranking_section(scope: OrgUnit, month: date) -> RankingSection | None:
    """Highlights of the latest assessment period that ended by the month's end and has
    published results in the scope: per committee the number assessed, average score and rate,
    five-star and four-star counts, tier-three (below three stars) and vetoed counts, and the
    scope's top ten. Three queries."""
    _start, end = month_bounds(month)
    period = published.latest_published_period(scope.path, end.date())
    if period is None:
        return None
    rows = committee_rows(published.committee_figures(period, scope.path), SUM_KEYS, scope)
    totals = sum_rows(rows, SUM_KEYS, total_label(scope))
    for row in [*rows, totals]:  # averages from sums: the total needs no second scan
        row.values["avg_total"] = _mean(row["sum_total"], row["scored"])
        row.values["avg_rate"] = _mean(row["sum_rate"], row["rated"])
    top = published.top_results(period, scope.path, TOP_N)
    return RankingSection(period, rows, totals, top)


@dataclass
class FlagshipSection:
    cycle: object | None  # flagship.models.FlagshipCycle
    phase: str  # the cycle's phase label
    statuses: list[tuple[str, str]]  # (value, label) in the model's order
    honours: list[tuple[str, str]]  # (flag, label) of the honours counted
    rows: list[CountsRow]
    totals: CountsRow


def flagship_section(scope: OrgUnit, month: date) -> FlagshipSection | None:
    """Flagship candidacies of the month's cycle in the scope, per committee: how many in each
    status, and the demonstration units and bases named; one grouped query in flagship."""
    progress = progress_by_committee(scope.path, month.year)
    if progress is None or not progress.groups:
        return None
    keys = [value for value, _label in progress.statuses] + [f for f, _l in progress.honours]
    rows = committee_rows(progress.groups, keys, scope)
    totals = sum_rows(rows, keys, total_label(scope))
    return FlagshipSection(
        progress.cycle, progress.phase, progress.statuses, progress.honours, rows, totals
    )
