"""推先表彰 pages: the rounds, a new round, a round's list (adjust and publish while a draft)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.views import attempt, found_or_404, refusal_on_form

from . import selectors, services
from .forms import AdjustForm, RoundForm
from .models import RoundStatus

PAGE_SIZE = 30


@login_required
def round_list(request):
    rounds = Paginator(selectors.rounds_visible_to(request.user), PAGE_SIZE)
    page = rounds.get_page(request.GET.get("page"))
    return render(
        request,
        "honours/rounds.html",
        {"page": page, "can_propose": request.user.has_perm("honours.propose")},
    )


@login_required
def round_new(request):
    if not request.user.has_perm("honours.propose"):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.propose_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已拟定名单，请核对后公布。"))
            return redirect("honours:round", round_.pk)
    return render(
        request, "honours/round_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def round_detail(request, pk):
    round_ = found_or_404(request, selectors.round_for_page, pk, "honours.view_round")
    can_manage = round_.status == RoundStatus.DRAFT and request.user.has_perm(
        "honours.manage_round", round_
    )
    return render(
        request,
        "honours/round.html",
        {
            "round": round_,
            "honours": selectors.honours_of(round_),
            "can_manage": can_manage,
            "adjust_form": AdjustForm() if can_manage else None,
        },
    )


@require_POST
@login_required
def adjust(request, pk, honour_pk):
    round_ = found_or_404(request, selectors.round_for_page, pk, "honours.manage_round")
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写调整理由。"))
    else:
        attempt(
            request,
            services.set_included,
            actor=request.user,
            round_pk=round_.pk,
            pk=honour_pk,
            included=request.POST.get("included") == "1",
            reason=form.cleaned_data["reason"],
            success=_("名单已调整。"),
        )
    return redirect("honours:round", round_.pk)


@require_POST
@login_required
def publish(request, pk):
    round_ = found_or_404(request, selectors.round_for_page, pk, "honours.manage_round")
    attempt(
        request, services.publish_round, actor=request.user, pk=round_.pk, success=_("名单已公布。")
    )
    return redirect("honours:round", round_.pk)
