"""Reminders before the end of a month, quarter or year for the meetings not yet held (and the
secretary's own tasks not yet done): the work list's open tasks, N days before their due date.

* **Which.** Every task of the annual work list due within the largest offset whose branch
  keeps a ledger (an active member on its roster, as on the 工作台): a generated task still
  not done by the records (`selectors.tasks.status_of`, the compliance selector's count), a
  custom task not ticked. The 支委会 of March is due on 31 March, the 党课 of the first
  quarter on 31 March too, the 组织生活会 on 31 December.
* **When.** Offsets `LEDGER_REMINDER_DAYS_BEFORE` (days, default 5 and 1) before the due
  date's end — the next local midnight (`end_of_local_day`): with 5, from 00:00:00 on the
  27th of a 31-day month. The largest offset reached is sent; a run after the due date's end
  sends nothing.
* **To whom.** The task's responsible member when their roster row is linked to an active
  account, else the branch's secretaries.
* **Exactly once** per (recipient, task, offset): `workflow.jobs.notify_once` inserts the
  `ReminderLog` row in the notification's transaction, so a second run — or a second worker at
  the same moment — hits the unique constraint and sends nothing. A task is one (branch,
  item, period), so this is once per branch, item and offset.
* The notification links to the record form on the task's template (a custom task: its page)."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from workflow.jobs import notify_once
from workflow.windows import end_of_local_day, local_today

from .models import Member, WorkTask
from .selectors.compliance import compliance
from .selectors.tasks import TaskStatus, status_of
from .spans import Span

log = logging.getLogger(__name__)


def reminder_offsets() -> list[int]:
    """The configured offsets in days, largest first."""
    return sorted(getattr(settings, "LEDGER_REMINDER_DAYS_BEFORE", [5, 1]), reverse=True)


def due_offset(now: datetime.datetime, due_at: datetime.datetime) -> int | None:
    """The smallest offset whose moment has come (1 when less than a day remains), or None
    before the largest offset and from the deadline on."""
    remaining = due_at - now
    if remaining <= datetime.timedelta(0):
        return None
    reached = [d for d in reminder_offsets() if remaining <= datetime.timedelta(days=d)]
    return min(reached) if reached else None


def _open_tasks_due(now: datetime.datetime):
    """(task, line) of the tasks not done that a reminder may be due for at `now`."""
    today = local_today(now)
    horizon = today + datetime.timedelta(days=max(reminder_offsets(), default=0))
    tasks = list(
        WorkTask.objects.filter(due_on__gte=today, due_on__lte=horizon)
        .filter(~Q(template_key="") | Q(done_at__isnull=True))
        .filter(Exists(Member.objects.filter(branch=OuterRef("branch"), is_active=True)))
        .select_related("branch", "responsible__user")
        .order_by("branch_id", "due_on", "pk")
    )
    by_year = defaultdict(set)
    for task in tasks:
        if not task.is_custom:
            by_year[task.year].add(task.branch)
    figures = {
        year: compliance(sorted(branches, key=lambda b: b.pk), Span.year(datetime.date(year, 1, 1)))
        for year, branches in by_year.items()
    }
    for task in tasks:
        line = status_of(task, figures.get(task.year, {}).get(task.branch_id), today)
        if line.status != TaskStatus.DONE:
            yield task, line


def _recipients(task: WorkTask, secretaries: dict) -> list:
    member = task.responsible
    if member is not None and member.is_active and member.user_id and member.user.is_active:
        return [member.user]
    if task.branch_id not in secretaries:
        secretaries[task.branch_id] = secretaries_at(task.branch)
    return secretaries[task.branch_id]


def _message(task: WorkTask, line, offset: int) -> tuple[str, str, str]:
    name = f"{task.title}（{task.period_label}）" if task.period_label else task.title
    due = f"{task.due_on:%Y-%m-%d}"
    title = _("台账提醒：%(branch)s %(task)s 尚未完成，请于 %(due)s 前办理") % {
        "branch": task.branch.name,
        "task": name,
        "due": due,
    }
    if line.required is not None:
        body = _(
            "应开 %(req)s 次，已记录 %(held)s 次；距期末不到 %(n)d 天，会后请及时登记台账。"
        ) % {"req": line.required, "held": line.held, "n": offset}
    else:
        body = _("距完成时限不到 %(n)d 天，请及时办理。") % {"n": offset}
    if line.template_id:
        url = f"{reverse('ledger:record_new', args=[task.branch_id])}?template={line.template_id}"
    else:
        url = reverse("ledger:task", args=[task.pk])
    return title, body, url


def send_ledger_reminders(now: datetime.datetime | None = None) -> int:
    """Remind of each open work-list task N days before its due date, once per recipient,
    task and offset. Returns how many notifications this run sent."""
    now = now or timezone.now()
    sent = 0
    secretaries = {}
    for task, line in _open_tasks_due(now):
        due_at = end_of_local_day(task.due_on)
        offset = due_offset(now, due_at)
        if offset is None:
            continue
        title, body, url = _message(task, line, offset)
        sent += notify_once(
            _recipients(task, secretaries),
            obj=task,
            days_before=offset,
            due_at=due_at,
            title=title,
            body=body,
            url=url,
        )
    log.info("ledger reminders sent=%s", sent)
    return sent
