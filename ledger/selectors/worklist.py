"""The ledger's part of a secretary's 工作台: the meetings still due this month at the branches
they keep, counted by the compliance selector (in the database, a constant number of queries),
one item per branch, due at the month's end, linking to the branch's compliance page; and the
tasks of the year's work list (清单化管理) already overdue, one item per branch, linking to
its list.

Only branches that keep a ledger (an active member in their roster) are asked here: branches
come to the ledger one by one, and one that has not entered its roster yet would otherwise see
every meeting of the month as missing; its compliance page still says what is due."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from branches import access
from branches.models import OrgUnit, Role, UnitType
from branches.selectors import secretary_scope
from workflow.windows import local_today
from workflow.worklist import WorkItem

from ..models import Member
from ..spans import Span
from .compliance import compliance, compliance_in
from .counting import Branches, branch_sizes_in
from .tasks import overdue_of, past_due_tasks


def secretary_items(user) -> list[WorkItem]:
    """This month's required meetings not yet recorded, per branch the secretary keeps."""
    today = local_today()
    month = Span.month(today)
    branches, sizes = _ledger_branches(user, month)
    if not branches:
        return []
    # The month's meetings and, when tasks are past due, the year's figures that judge them:
    # one count for both (`compliance_in`).
    # Only the meetings' figures: no attendance, no counts of the span's records (and the
    # groups and members not counted twice).
    only = {"attendance": False, "record_counts": False, "sizes": sizes}
    tasks = past_due_tasks(branches, today)
    if tasks:
        figures, year = compliance_in(branches, [month, Span.year(today)], **only)
    else:
        figures, year = compliance(branches, month, **only), {}
    items = []
    for branch in branches:
        due = figures[branch.pk].still_due
        if not due:
            continue
        meetings = _("、").join(
            _("%(name)s %(n)s 次") % {"name": r.template.name, "n": r.missing} for r in due
        )
        items.append(
            WorkItem(
                title=_("本月还需召开：%(meetings)s") % {"meetings": meetings},
                url=reverse("ledger:compliance", args=[branch.pk]),
                unit=branch.name,
                status=_("台账"),
                due_on=month.end,
            )
        )
    items.extend(_overdue_items(branches, overdue_of(tasks, year, today)))
    return items


def _ledger_branches(user, month: Span) -> tuple[list[OrgUnit], dict | None]:
    """The branches the secretary keeps that keep a ledger, in tree order, and their sizes
    (groups and members) when they were counted here. The secretary of branches (the usual
    case; under a branch lie only its party groups, `ALLOWED_PARENTS`): the units of their
    role assignments (loaded once per request), sized by the count
    the compliance figures multiply by anyway (`counting.branch_sizes_in`): those with an
    active member keep a ledger. The secretary of a larger unit: its subtree's branches with
    an active member (one query), sized with their figures."""
    units = [ra.unit for ra in access.assignments(user, Role.SECRETARY)]
    if units and all(u.unit_type == UnitType.BRANCH for u in units):
        by_pk = {u.pk: u for u in units}
        [sizes] = branch_sizes_in(Branches(ids=tuple(by_pk)), [month], records=False)
        keeping = [u for pk, u in by_pk.items() if sizes.get(pk, {}).get("members")]
        return sorted(keeping, key=lambda u: u.path), sizes
    branches = secretary_scope(
        OrgUnit.objects.filter(unit_type=UnitType.BRANCH), user, unit_field=""
    ).filter(Exists(Member.objects.filter(branch=OuterRef("pk"), is_active=True)))
    return list(branches), None


def _overdue_items(branches, overdue: dict) -> list[WorkItem]:
    """One item per branch with overdue work-list tasks, naming them (the first five)."""
    by_pk = {b.pk: b for b in branches}
    items = []
    for branch_pk, lines in overdue.items():
        names = [
            f"{line.task.title}（{line.task.period_label}）"
            if line.task.period_label
            else line.task.title
            for line in lines[:5]
        ]
        more = _("等 %(n)d 项") % {"n": len(lines)} if len(lines) > 5 else ""
        items.append(
            WorkItem(
                title=_("年度工作清单逾期：%(tasks)s%(more)s")
                % {"tasks": _("、").join(names), "more": more},
                url=reverse("ledger:work_list", args=[branch_pk]),
                unit=by_pk[branch_pk].name,
                status=_("逾期"),
                due_on=lines[0].task.due_on,
            )
        )
    return items
