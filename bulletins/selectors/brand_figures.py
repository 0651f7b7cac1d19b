"""The brand sections: coverage against the target, the month's activity, returned and
overdue items."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from branches.models import OrgUnit
from brands.models import BrandApplication, Status
from brands.selectors import coverage
from brands.selectors.showcase import committee_key, committee_name
from workflow.models import AuditEntry

from .common import CountsRow, ScopeReader, committee_rows, overdue_days, sum_rows, total_label
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


#: The month's events of brand applications, as audit actions (see brands.services).
ACTIVITY = {
    "first_submitted": Q(action="submit", from_state=Status.DRAFT),
    "resubmitted": Q(action="submit", from_state=Status.RETURNED),
    "approved": Q(action="approve", to_state=Status.IMPLEMENTING),
    "returned": Q(action="return"),
    "rejected": Q(action="reject"),
    "built": Q(action="pass_acceptance"),
}


@dataclass
class CountsSection:
    rows: list[CountsRow]
    totals: CountsRow


def activity_section(scope: OrgUnit, month: date) -> CountsSection:
    """New applications and decisions in the month, per committee: one grouped query over the
    audit trail (the record of every decision), by the branch the application belongs to."""
    start, end = month_bounds(month)
    groups = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(BrandApplication),
            at__gte=start,
            at__lt=end,
            unit__path__startswith=scope.path,
        )
        .annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(**{k: Count("pk", filter=q) for k, q in ACTIVITY.items()})
        .order_by()
    )
    keys = list(ACTIVITY)
    rows = committee_rows(groups, keys)
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


def _last_return():
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(BrandApplication),
            object_id=OuterRef("pk"),
            action="return",
        )
        .order_by("-at")
        .values("at")[:1]
    )


def _waiting_days(as_of: datetime, since: datetime | None) -> int | None:
    return None if since is None else max((as_of - since).days, 0)


def backlog_items(scope: OrgUnit, as_of: datetime, days: int, *, per_committee=None, limit=None):
    """Returned applications (waiting for the branch since the last return) and applications
    in review for more than `days` days (waiting since the last submission), longest waiting
    first: per committee the `per_committee` longest (the Excel list, committee by committee),
    or the `limit` longest of the scope (the Word shortlist). Streamed in chunks."""
    cutoff = as_of - timedelta(days=days)
    since = Case(
        When(status=Status.RETURNED, then=Coalesce(Subquery(_last_return()), "updated_at")),
        default=F("submitted_at"),
    )
    longest_first = [F("since").asc(nulls_last=True), F("unit__path").asc(), F("pk").asc()]
    qs = (
        BrandApplication.objects.filter(unit__path__startswith=scope.path)
        .filter(Q(status=Status.RETURNED) | Q(status=Status.IN_REVIEW, submitted_at__lte=cutoff))
        .annotate(committee=committee_name("unit__path"), since=since)
    )
    if per_committee:
        qs = (
            qs.annotate(
                committee_path=committee_key("unit__path"),
                place=Window(
                    RowNumber(), partition_by=[committee_key("unit__path")], order_by=longest_first
                ),
            )
            .filter(place__lte=per_committee)
            .order_by("committee_path", "place")
        )
    else:
        qs = qs.order_by(*longest_first)
    qs = qs.values_list(
        "committee", "unit__name", "name", "status", "current_level__name", "submitted_at", "since"
    )
    labels = dict(Status.choices)
    rows = qs[:limit].iterator() if limit else qs.iterator(chunk_size=2000)
    for committee, unit, name, status, level, submitted_at, since_at in rows:
        yield BacklogItem(
            committee=committee or "",
            unit=unit,
            name=name or str(_("（未命名品牌）")),
            status=str(labels.get(status, status)),
            level=level or "",
            submitted_at=submitted_at,
            since=since_at,
            waiting_days=_waiting_days(as_of, since_at),
        )


def backlog_section(scope: OrgUnit, as_of: datetime) -> BacklogSection:
    """Per committee: returned, in review, overdue in review, and the longest wait in review
    (days since the oldest submission still in review). One grouped query."""
    days = overdue_days()
    cutoff = as_of - timedelta(days=days)
    in_review = Q(status=Status.IN_REVIEW)
    groups = list(
        BrandApplication.objects.filter(
            unit__path__startswith=scope.path, status__in=[Status.RETURNED, Status.IN_REVIEW]
        )
        .annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(
            returned=Count("pk", filter=Q(status=Status.RETURNED)),
            in_review=Count("pk", filter=in_review),
            overdue=Count("pk", filter=in_review & Q(submitted_at__lte=cutoff)),
            oldest=Min("submitted_at", filter=in_review),
        )
        .order_by()
    )
    for g in groups:
        g["longest_wait"] = _waiting_days(as_of, g["oldest"]) or 0
    rows = committee_rows(groups, BACKLOG_KEYS)
    totals = sum_rows(rows, BACKLOG_KEYS[:3], total_label(scope))
    totals.values["longest_wait"] = max((r["longest_wait"] for r in rows), default=0)

    def items(*, per_committee=None, limit=None):
        return backlog_items(scope, as_of, days, per_committee=per_committee, limit=limit)

    return BacklogSection(rows, totals, as_of, days, items)
