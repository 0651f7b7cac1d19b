"""The annual work list's pages (清单化管理): a branch's year by month, one task (responsible
person; a custom task ticked done), a task of the secretary's own, and a unit's overview of
overdue tasks by branch with drill-down. Thin: permission, selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.models import UnitType
from workflow.selectors import timeline
from workflow.views import refusal_on_form
from workflow.windows import local_today

from ..forms_worklist import AssignForm, CompleteForm, CustomTaskForm
from ..models import WorkTask
from ..selectors import tasks as selectors
from ..services import worklist as services
from .units import area_unit_or_404, branch_or_404, drilled_row

#: How the audit trail's work-list actions read on a task's page.
ACTION_LABELS = {
    "task_add": _lazy("添加任务"),
    "task_assign": _lazy("指定责任人"),
    "task_done": _lazy("标记完成"),
}


def _year(request) -> int:
    """The year asked for (?year=), within the years a list can exist; else this year."""
    this = local_today().year
    try:
        year = int(request.GET.get("year", this))
    except ValueError:
        return this
    return year if this - 5 <= year <= this + 1 else this


@login_required
def work_list(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.view_work_list")
    year = _year(request)
    if year >= local_today().year:  # a list is generated the first time it is opened
        services.ensure_work_list(branch, year)
    months = selectors.work_list(branch, year)
    return render(
        request,
        "ledger/work_list.html",
        {
            "branch": branch,
            "year": year,
            "years": range(year - 1, year + 2),
            "months": months,
            "overdue": sum(m.overdue for m in months),
            "can_manage": request.user.has_perm("ledger.manage_work_list", branch),
        },
    )


@login_required
def task_add(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.manage_work_list")
    form = CustomTaskForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.add_task(actor=request.user, branch=branch, **form.cleaned_data)
        except (ValidationError, services.WorkListError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已添加任务。"))
            return redirect(f"{_list_url(branch)}?year={task.year}")
    return render(request, "ledger/task_form.html", {"branch": branch, "form": form})


def _list_url(branch) -> str:
    return reverse("ledger:work_list", args=[branch.pk])


@login_required
def task_detail(request, pk):
    task = get_object_or_404(WorkTask.objects.select_related("branch", "responsible"), pk=pk)
    branch = task.branch
    if not request.user.has_perm("ledger.view_work_list", branch):
        raise PermissionDenied
    can_manage = request.user.has_perm("ledger.manage_work_list", branch)
    assign = AssignForm(initial={"responsible": task.responsible}, branch=branch)
    complete = CompleteForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "assign":
                assign = AssignForm(request.POST, branch=branch)
                if assign.is_valid():
                    services.assign_task(actor=request.user, task=task, **assign.cleaned_data)
                    messages.success(request, _("已更新责任人。"))
                    return redirect("ledger:task", task.pk)
            elif action == "complete":
                complete = CompleteForm(request.POST)
                if complete.is_valid():
                    services.complete_task(actor=request.user, task=task, **complete.cleaned_data)
                    messages.success(request, _("任务已标记为完成。"))
                    return redirect("ledger:task", task.pk)
        except (ValidationError, services.WorkListError) as exc:
            refusal_on_form(assign if action == "assign" else complete, exc)
    line = selectors.task_line(task)
    entries = list(timeline(task))
    for e in entries:
        e.action_label = ACTION_LABELS.get(e.action, e.action)
    return render(
        request,
        "ledger/task_detail.html",
        {
            "branch": branch,
            "task": task,
            "line": line,
            "can_manage": can_manage,
            "assign": assign,
            "complete": complete if task.is_custom and task.done_at is None else None,
            "timeline": entries,
        },
    )


@login_required
def overview(request, unit_pk=None):
    """A unit's overdue tasks by the units below it; a branch opens its list. Without a unit:
    the highest unit where the reader holds a reading role."""
    unit = area_unit_or_404(request, unit_pk, "ledger.view_work_list")
    if unit.unit_type == UnitType.BRANCH:
        return redirect("ledger:work_list", unit.pk)
    year = _year(request)
    rows = selectors.area_tasks(request.user, unit, year)
    behind = drilled_row(request, rows)
    return render(
        request,
        "ledger/work_overview.html",
        {"unit": unit, "rows": rows, "year": year, "behind": behind},
    )
