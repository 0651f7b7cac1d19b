"""品牌党小组评选 pages: the branch's proposal (from its quarterly page) and the queue of the
reviewers above, who confirm or decline. Thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pagination import paginate
from ledger import selectors as ledger_selectors
from ledger.views.units import branch_or_404

from .. import services
from ..forms_assessment import DecisionForm, NominationForm
from ..models import BrandGroupNomination
from ..selectors import assessment as S

PAGE_SIZE = 30


@login_required
@require_POST
def propose(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "groups.propose_brand_group")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    form = NominationForm(request.POST, rows=S.year_table(branch, year))
    url = reverse("groups:assessments", args=[branch.pk]) + f"?q={year}-4"
    if form.is_valid():
        groups = {g.pk: g for g in ledger_selectors.groups_of(branch, active_only=False)}
        try:
            services.propose(
                actor=request.user,
                group=groups[form.cleaned_data["group"]],
                year=year,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, services.NominationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已推荐为品牌党小组，等待上级确认。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(url)


@login_required
def queue(request):
    if not request.user.has_perm("groups.view_brand_group_queue"):
        raise PermissionDenied
    page, query = paginate(request, S.pending_nominations(request.user), PAGE_SIZE)
    return render(
        request,
        "groups/brand_groups.html",
        {"page": page, "query": query, "form": DecisionForm()},
    )


@login_required
@require_POST
def decide(request, pk):
    nomination = get_object_or_404(BrandGroupNomination.objects.select_related("branch"), pk=pk)
    if not request.user.has_perm("groups.confirm_brand_group", nomination.branch):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(actor=request.user, nomination_id=nomination.pk, **form.cleaned_data)
        except (ValidationError, services.NominationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已处理品牌党小组推荐。"))
    return redirect("groups:brand_groups")
