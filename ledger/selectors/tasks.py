"""Reads of the annual work list (清单化管理): each task's status, computed from the ledger.

A generated task (one template, one frequency period) is done when the records the
compliance selector counts are there: the period's held meetings reach what it requires
(`compliance.Row.periods` / `per_period`, so 党小组会 needs every active group and 谈心谈话
every active member). Nothing is ticked for it. A custom task is done when the secretary ticked
it. A task not done is overdue from the day after its due date (local), in progress while its
period runs, not started before.

Counting is the compliance selector's (database aggregates, a fixed number of queries) plus
one or two aggregate queries on the tasks: pages read the same number of queries at any number
of branches."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit, UnitType
from workflow.windows import local_today

from ..models import WorkTask
from ..spans import FREQUENCY_MONTHS, Span, month_index
from .areas import by_child_unit
from .compliance import BranchCompliance, Row, compliance


class TaskStatus:
    DONE = "done"
    OPEN = "open"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    LABELS = {
        DONE: _("已完成"),
        OPEN: _("进行中"),
        OVERDUE: _("逾期"),
        UPCOMING: _("未开始"),
    }


@dataclass
class TaskLine:
    """One task with its status; for a generated task, held of required in its period."""

    task: WorkTask
    status: str
    required: int | None = None
    held: int | None = None
    #: The current version of the task's template: where its record is entered.
    template_id: int | None = None

    @property
    def status_label(self) -> str:
        return str(TaskStatus.LABELS[self.status])

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OVERDUE


@dataclass
class MonthOfTasks:
    month: int
    lines: list[TaskLine] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.status == TaskStatus.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.is_overdue)


def _bucket(row: Row, due_on: datetime.date) -> int:
    return month_index(due_on) // FREQUENCY_MONTHS[row.template.frequency]


def _period_done(row: Row | None, due_on: datetime.date) -> tuple[bool, int | None, int | None]:
    if row is None:  # the template no longer applies or was withdrawn: judged by the date
        return False, None, None
    held = row.periods.get(_bucket(row, due_on), 0)
    return held >= row.per_period, row.per_period, min(held, row.per_period)


def status_of(task: WorkTask, figures: BranchCompliance | None, today: datetime.date) -> TaskLine:
    """A task's status on `today`, from its branch's compliance over the task's year."""
    required = held = template_id = None
    if task.is_custom:
        done = task.done_at is not None
    else:
        rows = figures.rows if figures else ()
        row = next((r for r in rows if r.template.key == task.template_key), None)
        done, required, held = _period_done(row, task.due_on)
        template_id = row.template.pk if row else None
    if done:
        status = TaskStatus.DONE
    elif task.due_on < today:
        status = TaskStatus.OVERDUE
    elif task.period_start <= today:
        status = TaskStatus.OPEN
    else:
        status = TaskStatus.UPCOMING
    return TaskLine(task, status, required, held, template_id)


def task_line(task: WorkTask) -> TaskLine:
    """One task with its status today (a generated one reads its year's compliance)."""
    figures = None
    if not task.is_custom:
        year = Span.year(datetime.date(task.year, 1, 1))
        figures = compliance([task.branch], year)[task.branch_id]
    return status_of(task, figures, local_today())


def work_list(branch: OrgUnit, year: int) -> list[MonthOfTasks]:
    """A branch's tasks of the year by the month they fall due, each with its status (five or
    six queries: the tasks and the year's compliance)."""
    today = local_today()
    tasks = (
        WorkTask.objects.filter(branch=branch, year=year)
        .select_related("responsible")
        .order_by("due_on", "template__kind", "title", "pk")
    )
    figures = compliance([branch], Span.year(datetime.date(year, 1, 1)))[branch.pk]
    months = {m: MonthOfTasks(m) for m in range(1, 13)}
    for task in tasks:
        months[task.due_on.month].lines.append(status_of(task, figures, today))
    return [m for m in months.values() if m.lines]


def overdue_tasks(branches, today: datetime.date | None = None) -> dict[int, list[TaskLine]]:
    """The tasks of this year overdue at each of `branches` (a secretary's few: the tasks due
    before today are read as rows), by branch id."""
    today = today or local_today()
    branches = list(branches)
    tasks = past_due_tasks(branches, today)
    if not tasks:
        return {}
    return overdue_of(tasks, compliance(branches, Span.year(today)), today)


#: What `past_due_tasks` reads of a task: its status (`status_of`) and its line's name.
PAST_DUE_FIELDS = (
    "branch_id",
    "year",
    "template_key",
    "title",
    "period_start",
    "due_on",
    "done_at",
)


def past_due_tasks(branches, today: datetime.date) -> list[WorkTask]:
    """The tasks of `today`'s year at `branches` due before today that may be overdue: the
    generated ones (judged by the year's compliance, `overdue_of`) and the custom ones not
    ticked. One query (none without branches), of the columns a status and its line read
    (`status_of`, `TaskLine`, the 工作台's names): the rows a year brings are many."""
    if not branches:
        return []
    return list(
        WorkTask.objects.filter(branch__in=branches, year=today.year, due_on__lt=today)
        .filter(~Q(template_key="") | Q(done_at__isnull=True))
        .only(*PAST_DUE_FIELDS)
        .order_by("due_on", "title", "pk")
    )


def overdue_of(tasks, figures: dict, today: datetime.date) -> dict[int, list[TaskLine]]:
    """`tasks` (`past_due_tasks`) still not done, by branch id, judged by `figures` (the
    year's compliance of their branches)."""
    result = defaultdict(list)
    for task in tasks:
        line = status_of(task, figures.get(task.branch_id), today)
        if line.is_overdue:
            result[task.branch_id].append(line)
    return dict(result)


@dataclass
class BranchTasks:
    """How many tasks a branch has for the year, and how many of them are overdue."""

    branch: OrgUnit
    total: int = 0
    overdue: int = 0


def _completed_before(row: Row, cutoff: datetime.date, year: int) -> int:
    """Periods of `row` in `year` ending before `cutoff` whose meetings were all held."""
    months = FREQUENCY_MONTHS[row.template.frequency]
    first, last = (year * 12) // months, (year * 12 + 11) // months
    ended = [b for b in range(first, last + 1) if _period_end(b, months) < cutoff]
    if not row.per_period:
        return len(ended)
    return sum(1 for b in ended if row.periods.get(b, 0) >= row.per_period)


def _period_end(bucket: int, months: int) -> datetime.date:
    index = bucket * months + months
    return datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)


def overdue_counts(branches, year: int, cutoff: datetime.date) -> dict[int, BranchTasks]:
    """For each branch: its tasks of `year`, and those due before `cutoff` and not done — all
    counted in the database: past-due tasks grouped by (branch, template key) with `Count`,
    less the periods the compliance selector finds complete; custom tasks not ticked counted
    as they are. Two queries plus the compliance's, at any number of branches."""
    branches = list(branches)
    ids = [b.pk for b in branches]
    result = {b.pk: BranchTasks(b) for b in branches}
    totals = (
        WorkTask.objects.filter(branch_id__in=ids, year=year)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in totals:
        result[row["branch_id"]].total = row["n"]
    past = list(
        WorkTask.objects.filter(branch_id__in=ids, year=year, due_on__lt=cutoff)
        .filter(~Q(template_key="") | Q(done_at__isnull=True))
        .values("branch_id", "template_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not past:
        return result
    figures = compliance(branches, Span.year(datetime.date(year, 1, 1)))
    by_key = {}
    for row in past:
        branch_id, key = row["branch_id"], row["template_key"]
        if not key:  # custom tasks not ticked
            result[branch_id].overdue += row["n"]
            continue
        if branch_id not in by_key:
            by_key[branch_id] = {r.template.key: r for r in figures[branch_id].rows}
        rows = by_key[branch_id]
        done = _completed_before(rows[key], cutoff, year) if key in rows else 0
        result[branch_id].overdue += max(row["n"] - done, 0)
    return result


@dataclass
class AreaTasks:
    """A unit below the one viewed, with its branches' task counts."""

    unit: OrgUnit
    branches: list[BranchTasks]

    @property
    def overdue(self) -> int:
        return sum(b.overdue for b in self.branches)

    @property
    def behind(self) -> list[BranchTasks]:
        return [b for b in self.branches if b.overdue]

    @property
    def without_list(self) -> int:
        return sum(1 for b in self.branches if not b.total)

    @property
    def is_branch(self) -> bool:
        return self.unit.unit_type == UnitType.BRANCH


def area_tasks(user, unit: OrgUnit, year: int) -> list[AreaTasks]:
    """The units right below `unit` the user sees, each with the overdue counts of the
    branches in its subtree (inside `units_visible_to`), as of today."""
    cutoff = _cutoff(year)
    return by_child_unit(
        user, unit, lambda branches: overdue_counts(branches, year, cutoff), AreaTasks
    )


def _cutoff(year: int) -> datetime.date:
    """Tasks due before this day are past due: today, or the year's end for a past year."""
    return min(local_today(), datetime.date(year + 1, 1, 1))


@dataclass(frozen=True)
class CommitteeOverdue:
    """Plain figures for another app (the monthly bulletin's ledger section)."""

    committee_id: int
    committee: str
    branches: int
    branches_with_list: int
    branches_overdue: int
    overdue_tasks: int


def overdue_by_committee(month: datetime.date) -> list[CommitteeOverdue]:
    """Per committee (市分公司党委 / 直属党委), the work-list tasks due up to the end of
    `month`'s month and not done (judged by the records as they are now), over every active
    branch. Plain numbers, committees in tree order; a fixed number of queries."""
    from branches.selectors import COMMITTEE_DEPTH, COMMITTEE_PATH_LEN

    span = Span.month(month)
    cutoff = min(span.end + datetime.timedelta(days=1), local_today())
    branches = list(
        OrgUnit.objects.filter(unit_type=UnitType.BRANCH, is_active=True)
        .only("pk", "path", "name", "unit_type")
        .order_by("path")
    )
    committees = list(
        OrgUnit.objects.filter(depth=COMMITTEE_DEPTH, is_active=True).order_by("path")
    )
    counts = overdue_counts(branches, span.start.year, cutoff)
    by_committee = defaultdict(list)
    for b in branches:
        by_committee[b.path[:COMMITTEE_PATH_LEN]].append(counts[b.pk])
    result = []
    for committee in committees:
        inside = by_committee.get(committee.path, [])
        result.append(
            CommitteeOverdue(
                committee.pk,
                committee.name,
                len(inside),
                sum(1 for b in inside if b.total),
                sum(1 for b in inside if b.overdue),
                sum(b.overdue for b in inside),
            )
        )
    return result
