import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.formats import points
from common.uploads import document_response
from rectification.selectors.plans import plan_for_result
from rectification.selectors.worklist import invitation_link
from workflow.selectors import last_move_into, timeline
from workflow.transitions import TransitionError, error_text
from workflow.views import attempt, decision_view, refusal_on_form, save_then_submit

from .. import charts, online
from ..forms import BonusForm, DecisionForm, ReviewForm, SelfAssessmentForm
from ..models import Evidence, IndicatorKind, Status
from ..selectors import periods as period_selectors
from ..selectors import results as result_selectors
from ..selectors.ranks import rank_view
from ..selectors.tables import grouped, indicators_for, weights_for
from ..services import assessments
from ..services.bonus import bonus_refusal
from ..services.fill import save_assessment_draft
from ..windows import fill_window
from .common import get_assessment, paginate, require

RECTIFY_TIER = 3  # scoring.tier_for: fewer than 3 stars, or voided
BRAND_TIER = 1  # five stars


def _load(assessment, adjusters=True):
    """The indicators that apply to the assessment and its score rows (two queries), with who
    adjusted each score when `adjusters` (the review form shows them)."""
    indicators = indicators_for(assessment.period.table_version_id, assessment.category)
    return indicators, result_selectors.score_rows(assessment, adjusters=adjusters)


def _rows(assessment, indicators, scores, form=None, names=(), records=None):
    """Dimensions with their indicators, each with its score row, evidence files, the ledger
    records behind its online score (`records`: `online.records_behind`) and (when a form is
    given) its bound fields `names` (field prefixes)."""
    records = records or {}
    files = {}
    for e in assessment.evidence.all():
        files.setdefault(e.indicator_id, []).append(e)
    occurred = {True: _("发生"), False: _("未发生")}
    groups = []
    for dimension, items in grouped(indicators):
        rows = []
        for i in items:
            score = scores.get(i.pk)
            self_score = score.self_score if score else None
            veto = i.kind == IndicatorKind.VETO
            row = {
                "indicator": i,
                "score": score,
                "files": files.get(i.pk, []),
                "records": records.get(i.pk),
                # None rather than absent: the template's `row.fields` then finds it at once
                # instead of failing a lookup (an exception and a dir() of the row) per row
                "fields": None,
                # the figures' columns as written, once per row instead of a template's
                # if-chain and filters per cell (issue #19); a veto item shows no points
                "veto": veto,
                "max_shown": _max_shown(i),
                "self_shown": occurred[bool(self_score)] if veto else points(self_score),
                "reviewed_shown": points(score.reviewed_score if score else None),
            }
            if form is not None:
                row["fields"] = {n: form[f"{n}{i.pk}"] for n in names}
            rows.append(row)
        groups.append((dimension, rows))
    return groups


def _max_shown(indicator) -> str:
    """An item's points as its row shows them: none for a veto item, negative for a
    deduction."""
    if indicator.kind == IndicatorKind.VETO:
        return "—"
    shown = points(indicator.max_points)
    return f"-{shown}" if indicator.kind == IndicatorKind.DEDUCTION else shown


def _records(user, assessment, indicators, computed=None) -> dict:
    """The ledger records behind the online scores, for those who may open them (the branch's
    secretary, the reviewers above it): `computed`, the scores the page already has."""
    if not any(i.online_rule for i in indicators):
        return {}
    if not user.has_perm("ledger.view_records", assessment.unit):
        return {}
    if computed is None:
        computed = online.scores(indicators, assessment.unit, assessment.period)
    return online.records_behind(computed)


def _weights_json(assessment) -> str:
    """The category's dimension weights for the running total (static/js), as JSON."""
    weights = weights_for(assessment.period.table_version_id, assessment.category)
    return json.dumps({str(k): str(v) for k, v in weights.items()})


def _bonus_context(user, assessment, form=None) -> dict:
    """The bonus items (加分项) card: the items for those who see the result (reviewers, the
    branch once published), the form for a reviewer above the unit while it may be used."""
    may_record = user.has_perm("evaluation.record_bonus", assessment) and not (
        bonus_refusal(assessment)
    )
    if not user.has_perm("evaluation.view_result", assessment):
        return {}
    if may_record and form is None:
        version = assessments.WORKFLOW.version_of(assessment)
        form = BonusForm(initial={"expected_version": version})
    return {
        "bonus_items": result_selectors.bonus_items(assessment),
        "bonus_form": form if may_record else None,
        "bonus_cap": assessment.period.table_version.bonus_cap,
    }


@login_required
def review_queue(request):
    require(request.user, "evaluation.view_review_queue")
    page, query = paginate(request, period_selectors.review_queue(request.user))
    return render(request, "evaluation/review_queue.html", {"page": page, "query": query})


@login_required
def detail(request, pk, review_form=None, bonus_form=None):
    assessment = get_assessment(request, pk)
    user = request.user
    bonus = _bonus_context(user, assessment, bonus_form)
    can_adjust = user.has_perm("evaluation.adjust_scores", assessment)
    indicators, scores = _load(assessment, adjusters=can_adjust)
    if not can_adjust:
        review_form = None
    elif review_form is None:
        review_form = ReviewForm(
            indicators=indicators,
            scores=scores,
            initial={"expected_version": assessments.WORKFLOW.version_of(assessment)},
        )
    groups = _rows(
        assessment,
        indicators,
        scores,
        review_form,
        ("r", "why"),
        _records(user, assessment, indicators),
    )
    show_result = user.has_perm("evaluation.view_result", assessment)
    context = {
        "assessment": assessment,
        "groups": groups,
        "show_result": show_result,
        "review_form": review_form,
        "transitions": assessments.WORKFLOW.available(user, assessment),
        "decision_form": DecisionForm(
            initial={"expected_version": assessments.WORKFLOW.version_of(assessment)}
        ),
        "timeline": assessments.WORKFLOW.describe(
            # the branch sees score adjustments with its published result
            timeline(assessment)
            if show_result
            else timeline(assessment).exclude(action__in=assessments.EXTRA_ACTIONS),
            assessments.EXTRA_ACTIONS,
        ),
        "can_fill": user.has_perm("evaluation.edit_assessment", assessment),
        "can_trend": user.has_perm("evaluation.view_trend", assessment.unit),
        **bonus,
    }
    if review_form is not None:
        context["weights_json"] = _weights_json(assessment)
    if show_result and assessment.total is not None:
        context["radar"] = charts.radar_svg(
            result_selectors.radar(assessment),
            title=_("%(unit)s · %(period)s 雷达图")
            % {"unit": assessment.unit, "period": assessment.period},
        )
        context["rank"] = rank_view(user, assessment)
        if assessment.tier == RECTIFY_TIER and assessment.status == Status.PUBLISHED:
            context["rectification"] = plan_for_result(
                user, assessment.period_id, assessment.unit_id
            )
        elif assessment.tier == BRAND_TIER and assessment.status == Status.PUBLISHED:
            context["brand_invitation"] = invitation_link(
                user, assessment.period_id, assessment.unit_id
            )
    bound = (review_form, bonus_form)
    return render(
        request,
        "evaluation/assessment_detail.html",
        context,
        status=400 if any(f is not None and f.is_bound and f.errors for f in bound) else 200,
    )


@login_required
def fill(request, pk):
    """The self-assessment form: save as draft (any time in the window) or submit."""
    assessment = get_assessment(request, pk)
    if not request.user.has_perm("evaluation.edit_assessment", assessment):
        if not request.user.has_perm("evaluation.submit_assessment", assessment):
            raise PermissionDenied
        messages.warning(
            request,
            _("该考评当前为“%(s)s”，不可编辑。") % {"s": assessment.get_status_display()},
        )
        return redirect("evaluation:assessment", assessment.pk)
    indicators, scores = _load(assessment)
    carried_from, carried = None, {}
    if request.method == "GET" and not any(row.evidence for row in scores.values()):
        carried_from, carried = result_selectors.carried_evidence(assessment, indicators)
    computed = online.scores(indicators, assessment.unit, assessment.period)
    form = SelfAssessmentForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        scores=scores,
        carried=carried,
        online=computed,
    )
    _open, window_error = fill_window(assessment.period).check()
    if request.method == "POST" and form.is_valid() and not window_error:
        try:
            save_assessment_draft(
                actor=request.user,
                pk=assessment.pk,
                entries=form.entries(),
                uploads=form.uploads(),
                expected_version=request.POST.get("expected_version"),
            )
        except (ValidationError, DomainError) as exc:
            refusal_on_form(form, exc)
        else:
            return save_then_submit(
                request,
                lambda: assessments.submit_assessment(actor=request.user, pk=assessment.pk),
                edit_url=reverse("evaluation:fill", args=[assessment.pk]),
                done_url=reverse("evaluation:assessment", args=[assessment.pk]),
                done_message=_("自评已提交，等待上级党组织审核。"),
            )
    if request.method == "POST":
        form.name_unsaved_uploads()  # nothing was saved: no file is kept
    records = _records(request.user, assessment, indicators, computed)
    groups = _rows(assessment, indicators, scores, form, ("s", "e", "f"), records)
    return render(
        request,
        "evaluation/fill.html",
        {
            "assessment": assessment,
            "form": form,
            "groups": groups,
            "window_error": window_error,
            "carried_from": carried_from,
            "has_online": any(i.online_rule for i in indicators),
            "expected_version": assessments.WORKFLOW.version_of(assessment),
            "last_return": last_move_into(assessment, to_state=Status.RETURNED),
            "weights_json": _weights_json(assessment),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def adjust(request, pk):
    """The reviewer's adjusted scores with reasons (online score + offline acceptance)."""
    assessment = get_assessment(request, pk, "evaluation.review_assessment")
    if not request.user.has_perm("evaluation.adjust_scores", assessment):
        messages.error(request, _("只有待审核的考评可以调整分数。"))
        return redirect("evaluation:assessment", assessment.pk)
    indicators, scores = _load(assessment)
    form = ReviewForm(request.POST, indicators=indicators, scores=scores)
    if form.is_valid():
        adjusted = attempt(
            request,
            assessments.adjust_scores,
            actor=request.user,
            pk=assessment.pk,
            changes=form.changes(),
            expected_version=form.cleaned_data["expected_version"],
        )
        if adjusted and adjusted.value:
            n = len(adjusted.value)
            messages.success(request, _("已调整 %(n)d 项评分。") % {"n": n})
        elif adjusted:
            messages.info(request, _("评分没有变化。"))
        return redirect("evaluation:assessment", assessment.pk)
    messages.error(request, _("请根据提示修改后再保存。"))
    return detail(request, pk, review_form=form)


ACTIONS = {
    "submit": assessments.submit_assessment,
    "accept": assessments.accept,
    "return": assessments.return_for_revision,
    "reopen": assessments.reopen,
}


act = decision_view(
    ACTIONS, fetch=get_assessment, back="evaluation:assessment", form_class=DecisionForm
)


@login_required
def download_evidence(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    get_assessment(request, evidence.assessment_id)
    return document_response(evidence)


@login_required
@require_POST
def delete_evidence(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    get_assessment(request, evidence.assessment_id)
    try:
        assessments.remove_evidence(actor=request.user, evidence=evidence)
        messages.success(request, _("佐证材料已删除。"))
    except TransitionError as exc:
        messages.error(request, error_text(exc))
    return redirect("evaluation:fill", evidence.assessment_id)
