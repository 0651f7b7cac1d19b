from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.views import attempt, decide_on_form

from ..forms import BasesForm, ObligationForm, UnitsForm, VoteForm
from ..models import Honour, HonourKind, HonourStatus, Obligation, Phase
from ..selectors import awards as award_selectors
from ..selectors import review as review_selectors
from ..selectors import vote as vote_selectors
from ..services import decision as decisions
from ..services.cycle import WORKFLOW
from ..windows import vote_window
from .common import get_cycle, paginate


@login_required
def decide(request, pk):
    """The chair names the units (≤ quota), from the candidates ordered by committee score."""
    cycle = get_cycle(pk, "flagship.chair", request.user)
    rows = review_selectors.board(request.user, cycle)
    choices = [(r.candidacy.pk, str(r.candidacy.unit)) for r in rows]
    proposed = [
        r.candidacy.pk for r in rows if r.visible and r.count and not r.candidacy.veto_found
    ][: cycle.quota]
    form = UnitsForm(
        request.POST or None,
        choices=choices,
        initial={"units": proposed, "expected_version": WORKFLOW.version_of(cycle)},
    )
    if request.method == "POST" and form.is_valid():
        return decide_on_form(
            request,
            form,
            decisions.decide_units,
            cycle_pk=cycle.pk,
            candidacy_ids=form.cleaned_data["units"],
            success=_("示范单位已确定，公开投票已开始。"),
            done=reverse("flagship:cycle", args=[cycle.pk]),
            back=reverse("flagship:decide", args=[cycle.pk]),
        )
    return render(
        request,
        "flagship/decide.html",
        {
            "cycle": cycle,
            "rows": rows,
            "form": form,
            "selected": set(form["units"].value() or []),
            "open": cycle.phase == Phase.REVIEW,
            "unscored": sum(1 for r in rows if not r.visible),
        },
    )


@login_required
def vote(request, pk):
    """公开投票: every logged-in user, once per cycle, for up to K units."""
    cycle = get_cycle(pk, "flagship.vote", request.user)
    units = list(vote_selectors.units_of(cycle))
    form = VoteForm(request.POST or None, choices=[(c.pk, str(c.unit)) for c in units])
    if request.method == "POST":
        if form.is_valid():
            attempt(
                request,
                decisions.cast_ballot,
                actor=request.user,
                cycle_pk=cycle.pk,
                candidacy_ids=form.cleaned_data["units"],
                success=_("投票成功，感谢您的参与！"),
            )
        else:
            messages.error(request, _("请至少选择一个单位。"))
        return redirect("flagship:vote", cycle.pk)
    mine = vote_selectors.my_choices(request.user, cycle)
    return render(
        request,
        "flagship/vote.html",
        {
            "cycle": cycle,
            "units": units,
            "form": form,
            "mine": mine,
            "vote_error": vote_window(cycle).check()[1],
            "ballots": vote_selectors.ballots_cast(cycle),
        },
    )


@login_required
def bases(request, pk):
    """The chair closes the vote and names the bases from the weighted ranking."""
    cycle = get_cycle(pk, "flagship.chair", request.user)
    rows, cap = vote_selectors.base_ranking(cycle)
    form = BasesForm(
        request.POST or None,
        cap=cap,
        initial={"base_count": cap, "expected_version": WORKFLOW.version_of(cycle)},
    )
    if request.method == "POST" and form.is_valid():
        return decide_on_form(
            request,
            form,
            decisions.publish_awards,
            cycle_pk=cycle.pk,
            base_count=form.cleaned_data["base_count"],
            success=_("示范基地已确定，表彰名单已公布。"),
            done=reverse("flagship:awards", args=[cycle.pk]),
            back=reverse("flagship:bases", args=[cycle.pk]),
        )
    return render(
        request,
        "flagship/bases.html",
        {
            "cycle": cycle,
            "rows": rows,
            "cap": cap,
            "form": form,
            "ballots": vote_selectors.ballots_cast(cycle),
            "open": cycle.phase == Phase.VOTING,
            "committee_weight": 100 - cycle.vote_weight,
        },
    )


@login_required
def awards(request, pk):
    """The published awards of a cycle (示范基地 first, then 示范单位 by rank)."""
    cycle = get_cycle(pk, "flagship.view_awards", request.user)
    honours = award_selectors.awards(cycle) if cycle.phase == Phase.AWARDED else []
    return render(request, "flagship/awards.html", {"cycle": cycle, "honours": honours})


@login_required
def honours(request):
    """Every flagship honour (the flagship showcase), filterable."""
    if not request.user.has_perm("flagship.view_awards"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:60]
    qs = award_selectors.all_honours(
        status=status if status in HonourStatus.values else "",
        kind=kind if kind in HonourKind.values else "",
        q=q,
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "flagship/honours.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "kind": kind,
            "q": q,
            "statuses": HonourStatus.choices,
            "kinds": HonourKind.choices,
        },
    )


def _honour(request, pk):
    honour = get_object_or_404(
        Honour.objects.select_related("unit", "cycle", "candidacy__brand"), pk=pk
    )
    if not request.user.has_perm("flagship.view_awards", honour):
        raise PermissionDenied
    return honour


@login_required
def honour(request, pk):
    h = _honour(request, pk)
    return render(
        request,
        "flagship/honour.html",
        {
            "h": h,
            "obligations": award_selectors.obligations_of(h),
            "can_fulfil": request.user.has_perm("flagship.fulfil_obligation", h),
            "form": ObligationForm(),
        },
    )


@login_required
def certificate(request, pk):
    """A printable certificate (the browser prints it, or saves it as PDF)."""
    return render(request, "flagship/certificate.html", {"h": _honour(request, pk)})


@login_required
@require_POST
def fulfil(request, pk):
    obligation = get_object_or_404(Obligation.objects.select_related("honour__unit"), pk=pk)
    if not request.user.has_perm("flagship.fulfil_obligation", obligation.honour):
        raise PermissionDenied
    form = ObligationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写完成情况。"))
    else:
        attempt(
            request,
            decisions.fulfil_obligation,
            actor=request.user,
            pk=obligation.pk,
            note=form.cleaned_data["note"],
            success=_("已登记完成。"),
        )
    return redirect("flagship:honour", obligation.honour_id)
