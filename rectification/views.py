"""The plan pages: the branch's plan (phone-first: read, fill, submit, report), the branch's
list of its plans, and a reviewer's list of the plans in their subtree with status filters.
Thin: each parses input, calls a service or selector, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pagination import paginate
from common.uploads import document_response
from evaluation.selectors.published import weakest_items
from workflow.forms import DecisionForm
from workflow.selectors import last_move_into, timeline
from workflow.transitions import TransitionError
from workflow.views import attempt, decision_view, found_or_404, refusal_on_form

from . import services
from .forms import PlanFilterForm, PlanForm, ReportForm
from .models import EDITABLE, PlanEvidence, PlanStatus
from .selectors import plans as selectors

PAGE_SIZE = 30


def _plan(request, pk, perm="rectification.read_plan"):
    return found_or_404(request, selectors.plan_detail, pk, perm)


@login_required
def index(request):
    """整改管理: the plans of the reviewer's subtree, filtered by state (待我审核, 已逾期, …)."""
    user = request.user
    if not user.has_perm("rectification.list_plans"):
        raise PermissionDenied
    form = PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_plans(
        selectors.plans_visible_to(user),
        user,
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    page, query = paginate(request, qs, PAGE_SIZE)
    return render(
        request,
        "rectification/index.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "counts": selectors.status_counts(user),
            "status": filters.get("status", ""),
        },
    )


@login_required
def mine(request):
    """The secretary's plans (the link of every notification about them)."""
    plans = list(selectors.own_plans(request.user)[:100])
    if not plans and request.user.has_perm("rectification.list_plans"):
        return redirect("rectification:index")
    return render(request, "rectification/mine.html", {"plans": plans})


def _plan_form(plan, data=None):
    initial = {"expected_version": services.WORKFLOW.version_of(plan)}
    if data is None and not plan.problems and plan.assessment_id:
        initial["problems"] = "\n".join(weakest_items(plan.assessment_id))
    return PlanForm(data, instance=plan, initial=initial)


def _render_plan(request, plan, *, plan_form=None, report_form=None, status=200):
    user = request.user
    version = services.WORKFLOW.version_of(plan)
    can_edit = plan.status in EDITABLE and user.has_perm("rectification.edit_plan", plan)
    can_report = plan.status == PlanStatus.APPROVED and user.has_perm(
        "rectification.file_plan", plan
    )
    transitions = [
        t
        for t in services.WORKFLOW.available(user, plan)
        if t.name not in ("submit", "report")  # the plan and report forms carry these
    ]
    context = {
        "plan": plan,
        "can_edit": can_edit,
        "plan_form": plan_form or (_plan_form(plan) if can_edit else None),
        "report_form": report_form
        or (ReportForm(initial={"expected_version": version}) if can_report else None),
        "transitions": transitions,
        "decision_form": DecisionForm(initial={"expected_version": version}),
        "evidence": list(selectors.evidence_of(plan)),
        "timeline": services.WORKFLOW.describe(timeline(plan), services.EXTRA_ACTIONS),
        "last_return": last_move_into(plan, to_state=PlanStatus.RETURNED) if can_edit else None,
    }
    return render(request, "rectification/plan.html", context, status=status)


@login_required
def plan(request, pk):
    return _render_plan(request, _plan(request, pk))


@login_required
@require_POST
def save(request, pk):
    """Save the plan; with the "submit" button, then submit it for review."""
    plan = _plan(request, pk, "rectification.file_plan")
    form = _plan_form(plan, request.POST)
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.PLAN_FIELDS}
        try:
            plan = services.save_plan(
                actor=request.user,
                pk=plan.pk,
                data=data,
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ValidationError, TransitionError) as exc:
            refusal_on_form(form, exc)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("整改计划已保存，可随时回来继续填写。"))
                return redirect("rectification:plan", plan.pk)
            done = attempt(
                request,
                services.submit_plan,
                actor=request.user,
                pk=plan.pk,
                expected_version=services.WORKFLOW.version_of(plan),
                success=_("整改计划已提交审核，审核结果将通过通知告知您。"),
            )
            if not done:
                messages.info(request, _("内容已保存为草稿。"))
            return redirect("rectification:plan", plan.pk)
    plan.refresh_from_db()
    return _render_plan(request, plan, plan_form=form, status=400)


@login_required
@require_POST
def report(request, pk):
    """The branch reports completion with its evidence files."""
    plan = _plan(request, pk, "rectification.file_plan")
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_completion(
                actor=request.user,
                pk=plan.pk,
                completion=form.cleaned_data["completion"],
                uploads=form.cleaned_data["evidence"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ValidationError, TransitionError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已报告整改完成，等待上级验收。"))
            return redirect("rectification:plan", plan.pk)
    return _render_plan(request, plan, report_form=form, status=400)


act = decision_view(
    services.ACTIONS, fetch=_plan, back="rectification:plan", form_class=DecisionForm
)


@login_required
def evidence(request, pk):
    item = get_object_or_404(PlanEvidence.objects.select_related("plan__unit"), pk=pk)
    if not request.user.has_perm("rectification.read_plan", item.plan):
        raise PermissionDenied
    return document_response(item)
