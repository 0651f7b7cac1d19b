"""党小组季度考评 pages: a branch's quarter (its groups, the year accumulated and ranked), one
group's quarter (the score form for the branch's keepers, the result for its readers). Thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledger.views.units import branch_or_404
from workflow.views import attempt, found_or_404, refusal_on_form
from workflow.windows import local_today

from .. import services
from ..forms_assessment import GroupScoresForm, NominationForm, ReopenForm
from ..models import NominationStatus
from ..quarters import Quarter, open_quarters
from ..selectors import assessment as S


def _quarter(value, default: Quarter) -> Quarter:
    """`2026-1` → Quarter(2026, 1); anything else → `default`."""
    try:
        year, number = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100:
            return Quarter(year, number)
    except ValueError:
        pass
    return default


def _branch_url(branch, quarter: Quarter) -> str:
    url = reverse("groups:assessments", args=[branch.pk])
    return f"{url}?q={quarter.year}-{quarter.number}"


@login_required
def branch_assessments(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "groups.view_group_assessments")
    can_manage = request.user.has_perm("groups.manage_group_assessments", branch)
    open_now = open_quarters(local_today())
    quarter = _quarter(request.POST.get("q") or request.GET.get("q"), open_now[0])
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        attempt(
            request,
            services.start_quarter,
            actor=request.user,
            branch=branch,
            quarter=quarter,
            success=_("已开始本季度考评，系统已预填台账、五个一和先锋岗数据。"),
        )
        return redirect(_branch_url(branch, quarter))
    rows = S.quarter_rows(branch, quarter, drafts=can_manage)
    year_rows = S.year_table(branch, quarter.year)
    nominations = list(S.nominations_of(branch, quarter.year))
    nominate = None
    if request.user.has_perm("groups.propose_brand_group", branch) and quarter.year in (
        services.nominable_years(local_today())
    ):
        taken = {n.group_id for n in nominations if n.status != NominationStatus.DECLINED}
        open_rows = [r for r in year_rows if not r.vetoed and r.group_id not in taken]
        if open_rows and len(taken) < services.brand_groups.MAX_PER_BRANCH:
            nominate = NominationForm(rows=open_rows)
    return render(
        request,
        "groups/assessments.html",
        {
            "branch": branch,
            "quarter": quarter,
            "rows": rows,
            "year_rows": year_rows,
            "nominations": nominations,
            "nominate": nominate,
            "can_manage": can_manage,
            "can_start": can_manage
            and quarter in open_now
            and any(r.assessment is None for r in rows),
            "quarters": sorted({*open_now, quarter}, reverse=True),
            "older": quarter.previous,
        },
    )


def _page(request, assessment, *, form=None, reopen_form=None, status=200):
    can_manage = request.user.has_perm("groups.manage_group_assessment", assessment)
    scores = list(S.scores_of(assessment))
    if form is None and can_manage and assessment.is_draft:
        form = GroupScoresForm(scores=scores)
    if reopen_form is None and can_manage and not assessment.is_draft:
        reopen_form = ReopenForm()
    quarter = Quarter(assessment.year, assessment.quarter)
    return render(
        request,
        "groups/assessment.html",
        {
            "assessment": assessment,
            "branch": assessment.branch,
            "group": assessment.group,
            "quarter": quarter,
            "form": form,
            "sections": S.grouped_scores(scores),
            "reopen_form": reopen_form,
            "show_crumbs": request.user.has_perm(
                "groups.view_group_assessments", assessment.branch
            ),
            "may_submit": local_today() >= quarter.publishes_from,
        },
        status=status,
    )


def _assessment(request, pk, perm="groups.view_group_assessment"):
    return found_or_404(request, S.assessment_for_page, pk, perm)


@login_required
def assessment_page(request, pk):
    assessment = _assessment(request, pk)
    if request.method != "POST":
        return _page(request, assessment)
    if not request.user.has_perm("groups.manage_group_assessment", assessment):
        raise PermissionDenied
    form = GroupScoresForm(request.POST, scores=list(S.scores_of(assessment)))
    if form.is_valid():
        submit = "submit" in request.POST
        service = services.submit_scores if submit else services.save_scores
        try:
            service(actor=request.user, assessment_id=assessment.pk, values=form.cleaned_data)
        except (ValidationError, services.AssessmentError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("考评结果已公布。") if submit else _("草稿已保存。"))
            return redirect("groups:assessment", assessment.pk)
    return _page(request, S.assessment_for_page(assessment.pk), form=form, status=400)


@login_required
@require_POST
def reopen(request, pk):
    assessment = _assessment(request, pk, "groups.manage_group_assessment")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(actor=request.user, assessment_id=assessment.pk, **form.cleaned_data)
        except (ValidationError, services.AssessmentError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已退回草稿，可修改后重新提交。"))
            return redirect("groups:assessment", assessment.pk)
    return _page(request, assessment, reopen_form=form, status=400)
