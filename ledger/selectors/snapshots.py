"""The area page read from the stored monthly rollup (`ComplianceSnapshot`): the children's
rows of the unit viewed, summed over the span's months by the database — a fixed number of
queries whatever the size of the subtree (`services.snapshots.refresh_compliance` writes it)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils.functional import cached_property

from branches.models import OrgUnit, UnitType

from ..models import ComplianceRun, ComplianceSnapshot
from ..spans import Span, month_index, month_start
from .areas import BY_ID, AreaRows
from .compliance import BranchCompliance, Rates, compliance


def span_months(span: Span) -> list[datetime.date] | None:
    """The first days of the whole months a span covers, or None if it is not whole months."""
    first, last = month_index(span.start), month_index(span.end)
    months = [month_start(i) for i in range(first, last + 1)]
    if span.start != months[0] or span.end != month_start(last + 1) - datetime.timedelta(days=1):
        return None
    return months


def _children_rows(unit: OrgUnit, children: list[OrgUnit], months):
    """The snapshot rows of `children` in `months`: by id for a page of them, else by path and
    depth (an index range — a city may hold ten thousand branches right below it)."""
    rows = ComplianceSnapshot.objects.filter(month__in=months)
    if len(children) <= BY_ID:
        return rows.filter(unit_id__in=[c.pk for c in children])
    return rows.filter(depth=unit.depth + 1, path__startswith=unit.path)


def from_snapshot(unit: OrgUnit, children: list[OrgUnit], span: Span) -> AreaRows | None:
    months = span_months(span)
    if not months or not children:
        return None
    runs = list(
        ComplianceRun.objects.filter(month__in=months).values_list("computed_at", flat=True)
    )
    if len(runs) != len(months):
        return None  # a month not counted yet (before its first nightly run): live
    sums = {
        row["unit_id"]: row
        for row in _children_rows(unit, children, months)
        .values("unit_id")
        .annotate(
            required=Sum("required"),
            held=Sum("held"),
            behind=Sum("behind"),
            listed=Sum("attendance_listed"),
            present=Sum("attendance_present"),
        )
        .order_by()
    }
    if len(months) > 1:
        # A branch behind in any month of the span is behind in the span: count it once.
        width = len(children[0].path)
        branches_behind = ComplianceSnapshot.objects.filter(
            path__startswith=unit.path, month__in=months, is_branch=True, behind__gt=0
        ).annotate(prefix=Substr("path", 1, width))
        if len(children) <= BY_ID:
            branches_behind = branches_behind.filter(prefix__in=[c.path for c in children])
        behind = dict(
            branches_behind.values("prefix")
            .annotate(n=Count("unit_id", distinct=True))
            .values_list("prefix", "n")
            .order_by()
        )
    else:
        behind = {c.path: sums[c.pk]["behind"] for c in children if c.pk in sums}
    rows = AreaRows()
    rows.computed_at = min(runs)
    for child in children:
        row = sums.get(child.pk)  # a child outside the user's view never gets here
        if row is None and child.unit_type != UnitType.BRANCH:
            continue
        row = row or {}
        rows.append(
            StoredAreaRow(
                child,
                span,
                required=row.get("required") or 0,
                held=row.get("held") or 0,
                attendance_listed=row.get("listed") or 0,
                attendance_present=row.get("present") or 0,
                behind_count=behind.get(child.path, 0),
            )
        )
    return rows


@dataclass
class StoredAreaRow(Rates):
    """An `AreaRow` read from the snapshot: the same figures, summed by the database."""

    unit: OrgUnit
    span: Span
    required: int
    held: int
    attendance_listed: int
    attendance_present: int
    behind_count: int

    @property
    def is_branch(self) -> bool:
        return self.unit.unit_type == UnitType.BRANCH

    @cached_property
    def behind(self) -> list[BranchCompliance]:
        """The branches behind, named with what they still owe: counted live, only for the
        row a reader opens (the snapshot says which branches; `compliance()` what they owe)."""
        if not self.behind_count:
            return []
        months = span_months(self.span)
        ids = set(
            ComplianceSnapshot.objects.filter(
                path__startswith=self.unit.path, month__in=months, is_branch=True, behind__gt=0
            ).values_list("unit_id", flat=True)
        )
        branches = OrgUnit.objects.filter(pk__in=ids, is_active=True).order_by("path")
        return [b for b in compliance(branches, self.span).values() if b.is_behind]
