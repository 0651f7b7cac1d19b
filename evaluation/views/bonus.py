"""The upper level's bonus items (加分项) on an assessment's page: record, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.formats import points
from workflow.views import outcome_of, refusal_on_form

from ..forms import BonusForm, WithdrawBonusForm
from ..models import BonusItem
from ..services import bonus
from .assessments import detail
from .common import get_assessment


@login_required
@require_POST
def record(request, pk):
    """A reviewer above the unit records a bonus item; a refusal comes back at the field."""
    assessment = get_assessment(request, pk, "evaluation.review_assessment")
    form = BonusForm(request.POST)
    if form.is_valid():
        try:
            item = bonus.record_bonus(
                actor=request.user,
                pk=assessment.pk,
                points_value=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ValidationError, DomainError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已记录加分 %(p)s 分。") % {"p": points(item.points)})
            return redirect("evaluation:assessment", assessment.pk)
    messages.error(request, _("请根据提示修改后再保存。"))
    return detail(request, assessment.pk, bonus_form=form)


@login_required
@require_POST
def withdraw(request, pk):
    item = get_object_or_404(BonusItem, pk=pk)
    assessment = get_assessment(request, item.assessment_id, "evaluation.review_assessment")
    form = WithdrawBonusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤销加分须填写理由。"))
        return redirect("evaluation:assessment", assessment.pk)
    reason = form.cleaned_data["reason"]
    outcome = outcome_of(bonus.withdraw_bonus, actor=request.user, item_pk=item.pk, reason=reason)
    if outcome:
        messages.success(request, _("已撤销该加分。"))
    else:
        messages.error(request, outcome.error)
    return redirect("evaluation:assessment", assessment.pk)
