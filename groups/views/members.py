"""党员考评 pages: a branch's member periods (open one), one period's members (scores settled,
KPI coefficients, publish), one member's assessment (the branch's score form, the member's
self-assessment while open, the published result to the member). Thin: the rules decide who
reads (`groups.rules`), the services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledger.views.units import branch_or_404
from workflow.views import found_or_404, refusal_on_form
from workflow.windows import local_today

from .. import services
from ..forms_members import CoefficientsForm, MemberScoresForm, OpenPeriodForm, WithdrawForm
from ..selectors import members as S
from ..services.members import coefficient_name, open_years

MANAGE = "groups.manage_member_assessments"


@login_required
def branch_periods(request, branch_pk):
    branch = branch_or_404(request, branch_pk, MANAGE)
    form = OpenPeriodForm(request.POST or None, years=open_years(local_today()))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                period = services.open_period(
                    actor=request.user, branch=branch, **form.cleaned_data
                )
            except (ValidationError, services.MemberAssessmentError) as exc:
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("已开始党员考评，名册中的在册党员均已列入。"))
                return redirect("groups:member_period", period.pk)
        status = 400
    return render(
        request,
        "groups/member_periods.html",
        {"branch": branch, "periods": list(S.periods_of(branch)), "form": form},
        status=status,
    )


def _period(request, pk):
    return found_or_404(request, S.period_for_page, pk, MANAGE, checked_on=lambda p: p.branch)


def _period_page(request, period, *, coefficients=None, withdraw=None, status=200):
    rows = S.period_rows(period)
    if coefficients is None and period.is_kpi and period.is_open:
        coefficients = CoefficientsForm(rows=rows)
    if withdraw is None and not period.is_open:
        withdraw = WithdrawForm()
    return render(
        request,
        "groups/member_period.html",
        {
            "period": period,
            "branch": period.branch,
            "rows": rows,
            "pending": sum(1 for r in rows if not r.scored),
            "coefficients": coefficients,
            "withdraw": withdraw,
        },
        status=status,
    )


@login_required
def period_page(request, pk):
    period = _period(request, pk)
    if request.method == "POST":  # publish
        try:
            services.publish_period(actor=request.user, period_id=period.pk)
        except services.MemberAssessmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("考评结果已公布，每名党员只能看到本人的结果。"))
        return redirect("groups:member_period", period.pk)
    return _period_page(request, period)


@login_required
@require_POST
def coefficients(request, pk):
    period = _period(request, pk)
    form = CoefficientsForm(request.POST, rows=S.period_rows(period))
    if form.is_valid():
        values = {
            row.member_id: form.cleaned_data[coefficient_name(row.member_id)]
            for row, _field in form.rows
        }
        try:
            changed = services.set_coefficients(
                actor=request.user, period_id=period.pk, values=values
            )
        except (ValidationError, services.MemberAssessmentError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已保存 %(n)d 名党员的KPI系数。") % {"n": changed})
            return redirect("groups:member_period", period.pk)
    return _period_page(request, S.period_for_page(period.pk), coefficients=form, status=400)


@login_required
@require_POST
def include_new(request, pk):
    period = _period(request, pk)
    try:
        added = services.include_new_members(actor=request.user, period_id=period.pk)
    except services.MemberAssessmentError as exc:
        messages.error(request, str(exc))
    else:
        if added:
            messages.success(request, _("已补充 %(n)d 名新入册党员。") % {"n": added})
        else:
            messages.info(request, _("名册中的在册党员均已列入。"))
    return redirect("groups:member_period", period.pk)


@login_required
@require_POST
def withdraw(request, pk):
    period = _period(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_publication(
                actor=request.user, period_id=period.pk, **form.cleaned_data
            )
        except (ValidationError, services.MemberAssessmentError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已撤回公布，可修改后重新公布。"))
            return redirect("groups:member_period", period.pk)
    return _period_page(request, period, withdraw=form, status=400)


def _assessment_page(request, assessment, *, form=None, status=200):
    user = request.user
    manages = user.has_perm("groups.manage_member_assessment", assessment)
    own = not manages and user.has_perm("groups.self_assess", assessment)
    scores = list(S.scores_of(assessment))
    period = assessment.period
    if form is None and period.is_open and (manages or own):
        form = MemberScoresForm(scores=scores, own=own)
    return render(
        request,
        "groups/member_assessment.html",
        {
            "assessment": assessment,
            "period": period,
            "branch": period.branch,
            "member": assessment.member,
            "manages": manages,
            "own": own,
            "form": form,
            "sections": S.grouped_scores(scores),
        },
        status=status,
    )


@login_required
def assessment_page(request, pk):
    assessment = found_or_404(request, S.assessment_for_page, pk, "groups.open_member_assessment")
    if request.method != "POST":
        return _assessment_page(request, assessment)
    user = request.user
    manages = user.has_perm("groups.manage_member_assessment", assessment)
    if not manages and not user.has_perm("groups.self_assess", assessment):
        raise PermissionDenied
    form = MemberScoresForm(request.POST, scores=list(S.scores_of(assessment)), own=not manages)
    if form.is_valid():
        try:
            if manages:
                done = "done" in request.POST
                services.score_member(
                    actor=user, assessment_id=assessment.pk, values=form.cleaned_data, done=done
                )
                message = _("已定分。") if done else _("评分已保存。")
            else:
                services.save_self_assessment(
                    actor=user, assessment_id=assessment.pk, values=form.cleaned_data
                )
                message = _("自评已保存，支部评分后统一公布。")
        except (ValidationError, services.MemberAssessmentError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, message)
            return redirect("groups:member_assessment", assessment.pk)
    return _assessment_page(request, S.assessment_for_page(assessment.pk), form=form, status=400)
