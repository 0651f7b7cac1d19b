"""省级品牌评选 pages: the rounds, a new round, a round's page (propose, score, decide, publish).
Thin: the rules are services.py's, rules.py's and windows.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.views import attempt, found_or_404, refusal_on_form

from . import selectors, services
from .forms import ProposalDecisionForm, ProposeForm, RoundForm, ScoreForm
from .models import Proposal
from .windows import decision_window, proposal_window

PAGE_SIZE = 30


@login_required
def round_list(request):
    page = Paginator(selectors.rounds_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "selection/rounds.html",
        {"page": page, "can_open": request.user.has_perm("selection.open_round")},
    )


@login_required
def round_new(request):
    if not request.user.has_perm("selection.open_round"):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已发起省级品牌评选，各党委可在推荐期内推荐品牌。"))
            return redirect("selection:round", round_.pk)
    return render(
        request, "selection/round_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _round(request, pk):
    return found_or_404(request, selectors.round_for_page, pk, "selection.view_round")


@login_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    user = request.user
    proposing, why_not_proposing = proposal_window(round_).check()
    deciding, why_not_deciding = decision_window(round_).check()
    proposals = list(selectors.proposals_visible_to(user, round_))
    can_decide = deciding and user.has_perm("selection.decide")
    for proposal in proposals:
        proposal.can_score = proposing and user.has_perm("selection.score_proposal", proposal)
        proposal.transitions = services.WORKFLOW.available(user, proposal) if can_decide else []
        proposal.seen_version = services.WORKFLOW.version_of(proposal)
    committees = selectors.proposing_committees(user)
    candidates = (
        list(selectors.candidates_for(user, round_)[:PAGE_SIZE]) if proposing and committees else []
    )
    return render(
        request,
        "selection/round.html",
        {
            "round": round_,
            "proposals": proposals,
            "counts": selectors.counts(round_),
            "candidates": candidates,
            "proposes": bool(committees),
            "proposing": proposing,
            "why_not_proposing": why_not_proposing,
            "deciding": deciding,
            "why_not_deciding": why_not_deciding,
            "can_decide": can_decide,
            "decides": user.has_perm("selection.decide"),
            "score_form": ScoreForm(),
            "propose_form": ProposeForm(),
        },
    )


@require_POST
@login_required
def propose(request, pk):
    round_ = _round(request, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写推荐理由。"))
    else:
        attempt(
            request,
            services.propose,
            actor=request.user,
            round_pk=round_.pk,
            application_pk=form.cleaned_data["application"],
            reason=form.cleaned_data["reason"],
            success=_("已推荐。"),
        )
    return redirect("selection:round", round_.pk)


def _proposal(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("round"), pk=pk)
    if not request.user.has_perm("selection.view_round", proposal.round):
        raise PermissionDenied
    return proposal


@require_POST
@login_required
def score(request, pk):
    proposal = _proposal(request, pk)
    if not request.user.has_perm("selection.score_proposal", proposal):
        raise PermissionDenied
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("评分须在 0 到 100 之间。"))
    else:
        attempt(
            request,
            services.score_proposal,
            actor=request.user,
            pk=proposal.pk,
            score=form.cleaned_data["score"],
            note=form.cleaned_data["note"],
            success=_("评分已保存。"),
        )
    return redirect("selection:round", proposal.round_id)


@require_POST
@login_required
def decide(request, pk, action):
    proposal = _proposal(request, pk)
    if not request.user.has_perm("selection.decide"):
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请刷新页面后重试。"))
    else:
        attempt(
            request,
            services.decide,
            actor=request.user,
            pk=proposal.pk,
            action=action,
            success=_("已评定。"),
            **form.cleaned_data,
        )
    return redirect("selection:round", proposal.round_id)


@require_POST
@login_required
def publish(request, pk):
    round_ = _round(request, pk)
    if not request.user.has_perm("selection.decide"):
        raise PermissionDenied
    attempt(
        request,
        services.publish_round,
        actor=request.user,
        pk=round_.pk,
        success=_("评选结果已公布，入选品牌已成为省公司级品牌。"),
    )
    return redirect("selection:round", round_.pk)
