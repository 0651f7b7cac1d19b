"""Writes of the schedules (考评日程): the province sets a table's rhythm in a scope once
(`save_schedule`); beat (`tasks.run_schedules`, hourly) creates what the rhythm has brought
due (`rhythm.due`) and does not exist yet — each monthly period on its opening day, each
quarter and year once it has ended *and* its sources are all published (a quarter averages
over its three months, `AssessmentPeriod.source_slots`; a year over its four quarters).

Exactly once: a run holds the schedule's row lock while it reads what exists and creates what
is missing, so a second run (another worker, a retry) waits and then finds it; the partial
unique constraint (schedule, kind, starts_on) backs this up where row locks are weaker."""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workflow.services import record_audit
from workflow.windows import local_today

from .. import rhythm
from ..models import SOURCE_KIND, AssessmentPeriod, Schedule, TableVersion, VersionStatus
from ..selectors.schedules import fully_published
from ..windows import fill_window
from .assessments import EvaluationError
from .periods import _require_manager, compute_aggregate, describe_changes, insert_period

log = logging.getLogger(__name__)

SCHEDULE_FIELDS = (
    "table",
    "scope",
    "first_month",
    "open_day",
    "close_day",
    "quarterly",
    "annual",
    "is_active",
)


@transaction.atomic
def save_schedule(*, actor, data: dict, pk=None) -> Schedule:
    """Create or change a schedule; audited with what changed. Periods already created keep
    their dates; the change applies to the periods created after it."""
    _require_manager(actor, data["scope"])
    if pk is None:
        schedule, before = Schedule(created_by=actor), None
    else:
        schedule = Schedule.objects.select_for_update().get(pk=pk)
        _require_manager(actor, schedule.scope)
        before = {f: getattr(schedule, f) for f in SCHEDULE_FIELDS}
    for field in SCHEDULE_FIELDS:
        setattr(schedule, field, data[field])
    schedule.full_clean()
    schedule.save()
    if before is None:
        record_audit(actor=actor, obj=schedule, action="create", unit=schedule.scope)
    elif changes := describe_changes(schedule, before):
        record_audit(
            actor=actor, obj=schedule, action="change", comment=changes, unit=schedule.scope
        )
    return schedule


def run_schedules(now=None) -> int:
    """Beat: every active schedule, each in its own transaction (one failing does not hold up
    the others). Returns how many periods were created."""
    today = local_today(now)
    created = 0
    for pk in Schedule.objects.filter(is_active=True).values_list("pk", flat=True):
        created += len(run_schedule(pk, today))
    return created


@dataclass
class _Run:
    schedule: Schedule
    existing: dict  # (kind, starts_on) → AssessmentPeriod


@transaction.atomic
def run_schedule(pk: int, today) -> list[AssessmentPeriod]:
    """Create the periods of schedule `pk` that are due on local date `today` and missing."""
    schedule = (
        Schedule.objects.select_for_update(of=("self",))
        .select_related("table", "scope")
        .filter(pk=pk, is_active=True)
        .first()
    )
    if schedule is None:
        return []
    run = _Run(
        schedule,
        {
            (p.kind, p.starts_on): p
            for p in schedule.periods.select_related("scope", "table_version")
        },
    )
    created = []
    for slot in rhythm.due(schedule.rhythm(), today):
        if (slot.kind, slot.starts_on) in run.existing:
            continue
        try:
            with transaction.atomic():  # a savepoint: one refused period leaves the others
                period = _create(run, slot)
        except (ValidationError, EvaluationError, IntegrityError) as exc:
            log.warning("schedule %s: %s %s not created: %s", pk, slot.kind, slot.starts_on, exc)
            continue
        if period is not None:
            run.existing[(slot.kind, slot.starts_on)] = period
            created.append(period)
    return created


def _sources_of(run: _Run, slot: rhythm.Due) -> list[AssessmentPeriod] | None:
    """The aggregate's sources if every one exists and is published, else None."""
    kind = SOURCE_KIND[slot.kind]
    starts = list(_months(slot.starts_on, slot.ends_on))[:: 1 if kind == rhythm.MONTHLY else 3]
    sources = [run.existing.get((kind, s)) for s in starts]
    if any(p is None for p in sources):
        return None
    if kind == rhythm.MONTHLY:
        ready = all(fill_window(p).has_closed() and fully_published(p) for p in sources)
    else:
        ready = all(p.aggregated_at is not None for p in sources)
    if not ready or len({p.table_version_id for p in sources}) != 1:
        return None
    return sources


def _months(starts_on, ends_on):
    month = starts_on
    while month <= ends_on:
        yield month
        month = rhythm.add_months(month, 1)


def _name(schedule: Schedule, slot: rhythm.Due) -> str:
    table, d = schedule.table.name, slot.starts_on
    if slot.kind == rhythm.MONTHLY:
        name = _("%(year)d年%(month)d月%(table)s（月评价）")
    elif slot.kind == rhythm.QUARTERLY:
        name = _("%(year)d年第%(quarter)d季度%(table)s（季评星）")
    else:
        name = _("%(year)d年度%(table)s（年定级）")
    values = {"year": d.year, "month": d.month, "quarter": (d.month - 1) // 3 + 1, "table": table}
    return (name % values)[:100]


def _create(run: _Run, slot: rhythm.Due) -> AssessmentPeriod | None:
    schedule = run.schedule
    sources = None
    if slot.kind == rhythm.MONTHLY:
        version = (
            TableVersion.objects.filter(table=schedule.table, status=VersionStatus.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if version is None:
            raise ValidationError(_("评价表没有已发布的版本。"))
    else:
        sources = _sources_of(run, slot)
        if sources is None:
            return None  # not yet: a source is missing or unpublished
        version = sources[0].table_version
    period = AssessmentPeriod(
        name=_name(schedule, slot),
        kind=slot.kind,
        table_version=version,
        scope=schedule.scope,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        opens_on=slot.opens_on,
        closes_on=slot.closes_on,
        is_aggregate=sources is not None,
        schedule=schedule,
    )
    insert_period(period)
    if sources is not None:
        period.sources.set(sources)  # exactly the schedule's own periods
        compute_aggregate(period)
    return period
