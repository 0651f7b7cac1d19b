from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import User
from common.uploads import image_response
from workflow.views import attempt

from ..forms import ScoreForm, SiteVisitForm, VetoCheckForm
from ..models import AttachmentKind, Phase, SiteVisitPhoto
from ..selectors import review as selectors
from ..selectors.results import latest_results
from ..services import review as reviews
from .common import get_candidacy, get_cycle


@login_required
def board(request, pk):
    """The committee's board: every candidate with the member's own scoring status; the
    aggregates (and, for the chair, the spread and disagreement flags) where the member has
    scored."""
    cycle = get_cycle(pk, "flagship.view_committee_board", request.user)
    rows = selectors.board(request.user, cycle)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "flagship/board.html",
        {
            "cycle": cycle,
            "page": page,
            "query": "",
            "criteria": selectors.criteria_of(cycle),
            "max_total": selectors.max_total(cycle),
            "is_chair": request.user.has_perm("flagship.chair", cycle),
            "scored": sum(1 for r in rows if r.visible),
            "total": len(rows),
        },
    )


def _members(cycle):
    return User.objects.filter(flagship_memberships__cycle=cycle).order_by("username")


def _forms(candidacy, user, *, score=None, visit=None, visit_files=None):
    """The committee page's forms; only the one just posted is bound."""
    cycle = candidacy.cycle
    criteria = selectors.criteria_of(cycle)
    results = latest_results(candidacy.unit)
    return {
        "results": results,
        "score_form": ScoreForm(
            score,
            criteria=criteria,
            suggestions=reviews.suggested_points(criteria, results),
        ),
        "visit_form": SiteVisitForm(
            visit,
            visit_files,
            members=_members(cycle),
            initial={"visited_on": timezone.localdate(), "members": [user.pk]},
        ),
        "veto_form": VetoCheckForm(
            initial={
                "veto_found": "1" if candidacy.veto_found else "0",
                "note": candidacy.veto_note,
            }
        ),
    }


def _render(request, candidacy, forms):
    cycle = candidacy.cycle
    user = request.user
    mine = selectors.my_score(user, candidacy)
    return render(
        request,
        "flagship/review.html",
        {
            "c": candidacy,
            "cycle": cycle,
            **forms,
            "my_score": mine,
            "scores": selectors.scores_visible_to(user, candidacy),
            "result": selectors.result_for(user, candidacy),
            "can_score": cycle.phase == Phase.REVIEW and mine is None,
            "can_record": cycle.phase in (Phase.MANAGEMENT, Phase.REVIEW),
            "visits": selectors.site_visits(candidacy),
            "summary_files": candidacy.attachments.filter(kind=AttachmentKind.SUMMARY),
            "is_chair": user.has_perm("flagship.chair", cycle),
        },
    )


@login_required
def review(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.score")
    return _render(request, candidacy, _forms(candidacy, request.user))


@login_required
@require_POST
def score(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.score")
    forms = _forms(candidacy, request.user, score=request.POST)
    form = forms["score_form"]
    if form.is_valid():
        attempt(
            request,
            reviews.submit_score,
            actor=request.user,
            candidacy_pk=candidacy.pk,
            points=form.points(),
            comment=form.cleaned_data["comment"],
            success=_("评分已提交。现在可以查看其他评委的评分。"),
        )
        return redirect("flagship:review", candidacy.pk)
    return _render(request, candidacy, forms)


@login_required
@require_POST
def site_visit(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.score")
    forms = _forms(candidacy, request.user, visit=request.POST, visit_files=request.FILES)
    form = forms["visit_form"]
    if form.is_valid():
        attempt(
            request,
            reviews.record_site_visit,
            actor=request.user,
            candidacy_pk=candidacy.pk,
            visited_on=form.cleaned_data["visited_on"],
            members=form.cleaned_data["members"],
            findings=form.cleaned_data["findings"],
            photos=form.cleaned_data["photos"],
            success=_("实地考察记录已保存。"),
        )
        return redirect("flagship:review", candidacy.pk)
    return _render(request, candidacy, forms)


@login_required
@require_POST
def veto_check(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.score")
    form = VetoCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核查结论。"))
    else:
        attempt(
            request,
            reviews.record_veto_check,
            actor=request.user,
            candidacy_pk=candidacy.pk,
            success=_("否决项核查已记录。"),
            **form.cleaned_data,
        )
    return redirect("flagship:review", candidacy.pk)


@login_required
def visit_photo(request, pk, size="full"):
    photo = get_object_or_404(SiteVisitPhoto.objects.select_related("visit"), pk=pk)
    get_candidacy(request, photo.visit.candidacy_id, "flagship.score")
    return image_response(photo.thumb if size == "thumb" else photo.image)
