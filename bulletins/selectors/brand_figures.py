"""The brand sections: coverage against the target, the month's activity, returned and
overdue items."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from branches.models import OrgUnit
from brands.selectors import activity, coverage

from .common import (
    CountsRow,
    ScopeReader,
    committee_rows,
    overdue_cutoff,
    overdue_days,
    sum_rows,
    total_label,
)
from .months import month_bounds


@dataclass
class CoverageSection:
    year: int
    target: object  # brands.models.CoverageTarget | None
    target_is_own_year: bool
    rows: list  # coverage.CoverageRow per committee
    totals: object  # coverage.CoverageRow
    by_category: list


def coverage_section(scope: OrgUnit, month: date) -> CoverageSection:
    """Coverage (创建覆盖率 / 建成率) of the active branches in the scope, now, against the
    target of the bulletin's year. Three queries: target, per committee, per category; the
    total is the sum of the committee rows (every branch sits under exactly one)."""
    reader = ScopeReader(scope)
    target, own_year = coverage.target_for(month.year)
    rows = [r.compare(target) for r in coverage.coverage_by_committee(reader)]
    totals = coverage.CoverageRow(
        label=total_label(scope),
        total=sum(r.total for r in rows),
        filed=sum(r.filed for r in rows),
        built=sum(r.built for r in rows),
    ).compare(target)
    by_category = [r.compare(target) for r in coverage.coverage_by_category(reader)]
    return CoverageSection(month.year, target, own_year, rows, totals, by_category)


#: The month's events of brand applications (the keys of the counts; brands decides which
#: audit actions they are).
ACTIVITY = activity.ACTIVITY


@dataclass
class CountsSection:
    rows: list[CountsRow]
    totals: CountsRow


def activity_section(scope: OrgUnit, month: date) -> CountsSection:
    """New applications and decisions in the month, per committee: one grouped query over the
    audit trail (the record of every decision), under the committee the application's branch
    belonged to at the time (`AuditEntry.committee`)."""
    start, end = month_bounds(month)
    groups = activity.activity_counts(scope.path, start, end)
    keys = list(ACTIVITY)
    rows = committee_rows(groups, keys, scope)
    return CountsSection(rows, sum_rows(rows, keys, total_label(scope)))


BACKLOG_KEYS = ["returned", "in_review", "overdue", "longest_wait"]


@dataclass
class BacklogItem:
    committee: str
    unit: str
    name: str
    status: str
    level: str
    submitted_at: datetime | None
    since: datetime | None
    waiting_days: int | None


@dataclass
class BacklogSection:
    rows: list[CountsRow]
    totals: CountsRow
    as_of: datetime
    overdue_days: int
    items: Callable[..., Iterator[BacklogItem]] = field(repr=False)

    @property
    def item_count(self) -> int:
        return self.totals["returned"] + self.totals["overdue"]

    def listed_count(self, per_committee: int) -> int:
        """How many items a list of the `per_committee` longest per committee holds."""
        return sum(min(per_committee, r["returned"] + r["overdue"]) for r in self.rows)


def _waiting_days(as_of: datetime, since: datetime | None) -> int | None:
    return None if since is None else max((as_of - since).days, 0)


def backlog_items(scope: OrgUnit, as_of: datetime, days: int, *, per_committee=None, limit=None):
    """Returned applications (waiting for the branch since the last return) and applications
    in review for more than `days` whole days (`overdue_cutoff`; waiting since the last
    submission), longest waiting
    first: per committee the `per_committee` longest (the Excel list, committee by committee),
    or the `limit` longest of the scope (the Word shortlist). Streamed in chunks."""
    cutoff = overdue_cutoff(as_of, days)
    rows = activity.backlog_rows(scope.path, cutoff, per_committee=per_committee, limit=limit)
    for committee, unit, name, status, level, submitted_at, since_at in rows:
        yield BacklogItem(
            committee=committee or "",
            unit=unit,
            name=name or str(_("（未命名品牌）")),
            status=str(status),
            level=level or "",
            submitted_at=submitted_at,
            since=since_at,
            waiting_days=_waiting_days(as_of, since_at),
        )


def backlog_section(scope: OrgUnit, as_of: datetime) -> BacklogSection:
    """Per committee: returned, in review, overdue in review, and the longest wait in review
    (days since the oldest submission still in review). One grouped query."""
    days = overdue_days()
    groups = activity.backlog_counts(scope.path, overdue_cutoff(as_of, days))
    for g in groups:
        g["longest_wait"] = _waiting_days(as_of, g["oldest"]) or 0
    rows = committee_rows(groups, BACKLOG_KEYS, scope)
    totals = sum_rows(rows, BACKLOG_KEYS[:3], total_label(scope))
    totals.values["longest_wait"] = max((r["longest_wait"] for r in rows), default=0)

    def items(*, per_committee=None, limit=None):
        return backlog_items(scope, as_of, days, per_committee=per_committee, limit=limit)

    return BacklogSection(rows, totals, as_of, days, items)
