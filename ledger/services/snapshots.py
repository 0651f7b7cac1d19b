"""The stored compliance rollup: `refresh_compliance(month)` counts every active branch with
`compliance()` (the one counting rule) in chunks, each chunk a short transaction, then sums
the branch rows into each ancestor in SQL — one INSERT … SELECT … GROUP BY per tree depth,
joining the ancestor on the prefix of the branch's path (treebeard MP paths, `steplen` chars
per level). Idempotent: a rerun overwrites the month's rows (upserts) and drops rows of units
that no longer have active branches below."""

import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from branches.models import OrgUnit, UnitType

from ..models import ComplianceRun, ComplianceSnapshot
from ..selectors.compliance import compliance
from ..spans import Span

CHUNK = 2000
FIGURES = ["required", "held", "branches", "behind", "attendance_listed", "attendance_present"]


def refresh_compliance(month: datetime.date, *, chunk: int = CHUNK) -> int:
    """Recompute the snapshot of the month containing `month`; returns the branches counted."""
    span = Span.month(month)
    first = span.start
    now = timezone.now()
    last = ComplianceRun.objects.filter(month=first).values_list("generation", flat=True).first()
    generation = (last or 0) + 1
    counted = 0
    after = ""
    active = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).order_by("path")
    while True:
        branches = list(active.filter(path__gt=after)[:chunk])
        if not branches:
            break
        after = branches[-1].path
        with transaction.atomic():
            figures = compliance(branches, span)
            ComplianceSnapshot.objects.bulk_create(
                [_branch_row(b, figures[b.pk], first, now, generation) for b in branches],
                update_conflicts=True,
                unique_fields=["unit", "month"],
                update_fields=[*FIGURES, "path", "depth", "is_branch", "computed_at", "generation"],
            )
        counted += len(branches)
    with transaction.atomic():
        # Branches closed or moved since the last run: their old rows go before the rollup.
        ComplianceSnapshot.objects.filter(
            month=first, is_branch=True, generation__lt=generation
        ).delete()
        deepest = ComplianceSnapshot.objects.filter(month=first, is_branch=True).aggregate(
            deepest=Max("depth")
        )["deepest"]
        for depth in range((deepest or 1) - 1, 0, -1):
            _roll_up(first, depth, now, generation)
        ComplianceSnapshot.objects.filter(month=first, generation__lt=generation).delete()
        ComplianceRun.objects.update_or_create(
            month=first,
            defaults={"computed_at": now, "branches": counted, "generation": generation},
        )
    return counted


def _branch_row(branch, figures, first, now, generation) -> ComplianceSnapshot:
    return ComplianceSnapshot(
        unit=branch,
        path=branch.path,
        depth=branch.depth,
        is_branch=True,
        month=first,
        required=figures.required,
        held=figures.held,
        branches=1,
        behind=1 if figures.is_behind else 0,
        attendance_listed=figures.attendance_listed,
        attendance_present=figures.attendance_present,
        computed_at=now,
        generation=generation,
    )


def _roll_up(first, depth: int, now, generation: int) -> None:
    """Sum the month's branch rows below each unit of `depth` into that unit's row."""
    snapshot = ComplianceSnapshot._meta.db_table
    units = OrgUnit._meta.db_table
    sums = ", ".join(f"SUM(s.{f})" for f in FIGURES if f not in ("branches", "behind"))
    columns = [f for f in FIGURES if f not in ("branches", "behind")]
    updates = ", ".join(
        f"{f} = EXCLUDED.{f}" for f in [*FIGURES, "computed_at", "generation", "path", "depth"]
    )
    # Table and column names are this module's constants; every value is a parameter.
    sql = f"""
        INSERT INTO {snapshot} (unit_id, path, depth, is_branch, month, {", ".join(columns)},
                                branches, behind, computed_at, generation)
        SELECT u.id, u.path, u.depth, %s, %s, {sums}, SUM(s.branches), SUM(s.behind), %s, %s
        FROM {snapshot} s JOIN {units} u ON u.path = SUBSTR(s.path, 1, %s)
        WHERE s.month = %s AND s.is_branch = %s AND s.depth > %s
        GROUP BY u.id, u.path, u.depth
        ON CONFLICT (unit_id, month) DO UPDATE SET {updates}
    """  # noqa: S608  # nosec
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [False, first, now, generation, depth * OrgUnit.steplen, first, True, depth]
        )


def months_to_refresh(today: datetime.date) -> list[datetime.date]:
    """What the nightly job recomputes: every month of the current year (the quarter and year
    spans sum them, future months included: their required counts are already due in the
    span) and the previous month (late entries for last month)."""
    months = [datetime.date(today.year, m, 1) for m in range(1, 13)]
    previous = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if previous not in months:
        months.insert(0, previous)
    return months
