"""Stored compliance rollup (按期开展情况快照): per unit and month, the figures the area page
shows — so a committee's page reads its children's rows instead of folding every branch of
its subtree live. Written only by `ledger.services.snapshots.refresh_compliance` (nightly)."""

from django.db import models


class ComplianceSnapshot(models.Model):
    """One unit (a branch, or any unit with branches below) in one month: the sums of the
    active branches of its subtree as `compliance()` counts them for that month's span."""

    unit = models.ForeignKey(
        "branches.OrgUnit", on_delete=models.CASCADE, related_name="compliance_snapshots"
    )
    #: The unit's tree path and depth, copied so rollups and prefix reads need no join.
    path = models.CharField(max_length=255)
    depth = models.PositiveIntegerField()
    is_branch = models.BooleanField(default=False)
    month = models.DateField(help_text="First day of the month.")
    required = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    branches = models.PositiveIntegerField(default=0)
    behind = models.PositiveIntegerField(default=0, help_text="Branches with a meeting missing.")
    attendance_listed = models.PositiveIntegerField(default=0)
    attendance_present = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    #: The refresh that wrote the row (`ComplianceRun.generation`): older rows are stale.
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="ledger_snapshot_unit_month")
        ]
        indexes = [
            models.Index(fields=["month", "is_branch", "path"], name="ledger_snap_month_path"),
            models.Index(fields=["month", "depth", "path"], name="ledger_snap_month_depth"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"


class ComplianceRun(models.Model):
    """A month whose snapshot is complete, and when it was computed: the area page reads the
    snapshot only for months listed here (else it counts live)."""

    month = models.DateField(unique=True)
    computed_at = models.DateTimeField()
    branches = models.PositiveIntegerField(default=0)
    generation = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.month:%Y-%m} @ {self.computed_at:%Y-%m-%d %H:%M}"
