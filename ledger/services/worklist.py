"""Writes of the annual work list (清单化管理): generating a branch's year from the templates in
force, naming a task's responsible person, and the secretary's own tasks.

Generating is idempotent: one generated task per (branch, template key, due date) is a unique
constraint and the rows are inserted with `ignore_conflicts`, so running it again (the beat on
the 1st of each month, the management command, a branch opening its list) adds only what is
new — a template published since, a branch created since — and never a duplicate."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit, UnitType
from common.errors import DomainError
from workflow.services import record_audit
from workflow.windows import local_today

from ..models import Member, WorkTask
from ..selectors.compliance import applies_to, current_templates
from ..spans import FREQUENCY_MONTHS, Span, month_start

#: Branches per batch when generating for the whole tree (one insert each).
BATCH = 500


class WorkListError(DomainError):
    """A refused change to the work list; the message says why."""


def _tasks_for(branch: OrgUnit, year: int, templates) -> list[WorkTask]:
    """The generated tasks of one branch's year: one per frequency period of each template
    in force for it, due on the period's last day."""
    year_span = Span.year(datetime.date(year, 1, 1))
    tasks = []
    for template in templates:
        if not applies_to(template, branch):
            continue
        months = FREQUENCY_MONTHS[template.frequency]
        for bucket in year_span.due_buckets(template.frequency):
            first = bucket * months
            tasks.append(
                WorkTask(
                    branch=branch,
                    year=year,
                    template_key=template.key,
                    template=template,
                    title=template.name,
                    period_start=month_start(first),
                    due_on=month_start(first + months) - datetime.timedelta(days=1),
                )
            )
    return tasks


def generate_work_list(branch: OrgUnit, year: int) -> int:
    """Add the branch's year of tasks from the templates in force; returns how many are new.
    Safe to run again: what exists already is left as it is (responsible person included)."""
    if branch.unit_type != UnitType.BRANCH:
        return 0
    before = WorkTask.objects.filter(branch=branch, year=year).exclude(template_key="").count()
    WorkTask.objects.bulk_create(
        _tasks_for(branch, year, current_templates()), ignore_conflicts=True
    )
    return (
        WorkTask.objects.filter(branch=branch, year=year).exclude(template_key="").count() - before
    )


def generate_all(year: int) -> int:
    """Every active branch's list for the year (the beat job and the management command);
    returns how many tasks were new. Batches of `BATCH` branches, one insert each."""
    templates = current_templates()
    branches = OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True).order_by("pk")
    before = WorkTask.objects.filter(year=year).exclude(template_key="").count()
    last = 0
    while True:
        batch = list(branches.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        rows = [t for b in batch for t in _tasks_for(b, year, templates)]
        WorkTask.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        last = batch[-1].pk
    return WorkTask.objects.filter(year=year).exclude(template_key="").count() - before


def ensure_work_list(branch: OrgUnit, year: int) -> None:
    """Generate a branch's list the first time it is opened (one query when it exists)."""
    if not WorkTask.objects.filter(branch=branch, year=year).exclude(template_key="").exists():
        generate_work_list(branch, year)


# --- the secretary's changes -----------------------------------------------------------------


def _require_keeper(actor, branch):
    if not actor.has_perm("ledger.manage_work_list", branch):
        raise PermissionDenied(_("只有本支部书记可以维护年度工作清单。"))


def _locked(task: WorkTask) -> WorkTask:
    return WorkTask.objects.select_for_update(of=("self",)).select_related("branch").get(pk=task.pk)


def _check_member(branch, member):
    if member is not None and (member.branch_id != branch.pk or not member.is_active):
        raise ValidationError({"responsible": _("责任人须为本支部在册党员。")})


@transaction.atomic
def assign_task(*, actor, task: WorkTask, responsible: Member | None) -> WorkTask:
    """Name the member responsible for a task (None: back to the secretary)."""
    task = _locked(task)
    _require_keeper(actor, task.branch)
    _check_member(task.branch, responsible)
    task.responsible = responsible
    task.save(update_fields=["responsible"])
    record_audit(
        actor=actor,
        obj=task,
        action="task_assign",
        to_state=responsible.name if responsible else _("支部书记"),
        unit=task.branch,
    )
    return task


@transaction.atomic
def add_task(
    *, actor, branch: OrgUnit, title: str, due_on: datetime.date, note: str = "", responsible=None
) -> WorkTask:
    """A task of the secretary's own (not from a template), ticked done by hand."""
    _require_keeper(actor, branch)
    _check_member(branch, responsible)
    today = local_today()
    if due_on < today:
        raise ValidationError({"due_on": _("完成时限不能早于今天。")})
    if due_on.year > today.year + 1:
        raise ValidationError({"due_on": _("完成时限须在明年年底之前。")})
    task = WorkTask(
        branch=branch,
        year=due_on.year,
        title=title.strip(),
        note=note.strip(),
        due_on=due_on,
        period_start=today if today.year == due_on.year else datetime.date(due_on.year, 1, 1),
        responsible=responsible,
    )
    task.full_clean()
    task.save()
    record_audit(actor=actor, obj=task, action="task_add", unit=branch)
    return task


@transaction.atomic
def complete_task(*, actor, task: WorkTask, note: str) -> WorkTask:
    """Tick a custom task done, saying how. A generated task is done by its records."""
    task = _locked(task)
    _require_keeper(actor, task.branch)
    if not task.is_custom:
        raise WorkListError(_("此任务按台账记录自动完成，请登记会议记录，无需勾选。"))
    if task.done_at is not None:
        raise WorkListError(_("此任务已完成。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写完成情况。")})
    task.done_at, task.done_by, task.done_note = timezone.now(), actor, note.strip()[:200]
    task.save(update_fields=["done_at", "done_by", "done_note"])
    record_audit(
        actor=actor, obj=task, action="task_done", comment=task.done_note, unit=task.branch
    )
    return task
