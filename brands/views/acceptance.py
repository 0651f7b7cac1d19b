"""验收评分: the committee's reviewer scores a brand's acceptance on the five-force table.
Thin: the rules are brands/acceptance.py's; refusals come back onto the form's fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from workflow.views import refusal_on_form

from .. import acceptance
from ..forms_acceptance import AcceptanceScoreForm
from ..models import Status
from ..services import WORKFLOW
from .applications import _application


@login_required
def score(request, pk):
    app = _application(request, pk)
    if not request.user.has_perm("brands.judge_acceptance", app):
        raise PermissionDenied
    if app.status != Status.ACCEPTANCE:
        messages.warning(
            request,
            _("该品牌当前为“%(s)s”，不在验收评审阶段。") % {"s": app.get_status_display()},
        )
        return redirect("brands:detail", app.pk)
    try:
        sheet = acceptance.sheet_for(app)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("brands:detail", app.pk)
    form = AcceptanceScoreForm(
        request.POST or None,
        sheet=sheet,
        initial={"expected_version": WORKFLOW.version_of(app)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = acceptance.score_acceptance(
                actor=request.user,
                pk=app.pk,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ValidationError, DomainError) as exc:
            refusal_on_form(form, exc)
        else:
            if review.passed:
                messages.success(request, _("验收评分已保存：验收通过，品牌正式建成。"))
            else:
                messages.warning(request, _("验收评分已保存：验收未通过，品牌退回实施推进阶段。"))
            return redirect("brands:detail", app.pk)
    return render(
        request,
        "brands/acceptance_form.html",
        {"app": app, "form": form, "sheet": sheet, "pass_rate": acceptance.PASS_RATE},
    )
