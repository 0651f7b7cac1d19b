"""Writes of assessments: the branch's self-assessment, the reviewer's adjustments (线上考核 +
线下验收, "dual control") and the state transitions. Every state change passes through
`WORKFLOW.apply` (locked, checked, audited); every score adjustment is audited too."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at
from branches.models import OrgUnit
from branches.selectors import COMMITTEE_DEPTH, COMMITTEE_PATH_LEN, approval_chain
from common.formats import points
from common.uploads import save_document
from workflow.services import notify, record_audit
from workflow.transitions import (
    AlreadyHandled,
    Transition,
    TransitionError,
    Workflow,
    decision,
    telling,
)

from .. import cache, online, scoring
from ..models import (
    Assessment,
    AssessmentScore,
    DimensionScore,
    Evidence,
    IndicatorKind,
    Status,
)
from ..selectors.tables import as_items, indicators_for, weights_for
from ..windows import fill_window

S = Status
WORKFLOW = Workflow(
    model=Assessment,
    version=lambda a: f"{a.status}#{a.revision}",
    transitions=[
        Transition(
            "submit",
            (S.DRAFT, S.RETURNED),
            S.SUBMITTED,
            _lazy("提交审核"),
            "evaluation.submit_assessment",
        ),
        Transition(
            "accept",
            (S.SUBMITTED,),
            S.REVIEWED,
            _lazy("验收通过"),
            "evaluation.review_assessment",
            style="success",
        ),
        Transition(
            "return",
            (S.SUBMITTED,),
            S.RETURNED,
            _lazy("退回修改"),
            "evaluation.review_assessment",
            comment_required=True,
            style="warning",
        ),
        Transition(
            "reopen",
            (S.REVIEWED,),
            S.SUBMITTED,
            _lazy("撤回验收"),
            "evaluation.review_assessment",
            style="outline-secondary",
        ),
        Transition(
            "publish",
            (S.REVIEWED,),
            S.PUBLISHED,
            _lazy("发布结果"),
            "evaluation.publish_period",
        ),
    ],
    on_change=lambda assessment, _from: cache.progress_changed(assessment.period_id),
)
EXTRA_ACTIONS = {
    "adjust_score": _lazy("调整分数"),
    "veto": _lazy("一票否决"),
    "lift_veto": _lazy("取消否决"),
    "bonus": _lazy("记录加分"),  # services.bonus
    "withdraw_bonus": _lazy("撤销加分"),
}
EARNING = (IndicatorKind.BASIC, IndicatorKind.SPECIAL)


class EvaluationError(TransitionError):
    """A refusal with a message for the user."""


def _link(assessment):
    return reverse("evaluation:assessment", args=[assessment.pk])


PROBLEM_MESSAGES = {
    "not_number": _lazy("“%(name)s”的得分须为数字。"),
    "negative": _lazy("“%(name)s”的得分不能为负数。"),
    "above_max": _lazy("“%(name)s”的得分不能超过 %(max)s 分。"),
}


def _score_problems(indicators, scores: dict) -> list[str]:
    by_id = {i.pk: i for i in indicators}
    return [
        PROBLEM_MESSAGES[code] % {"name": by_id[pk].name, "max": points(by_id[pk].max_points)}
        for pk, code in scoring.problems(as_items(indicators), scores).items()
    ]


def apply_result(assessment, indicators, scores: dict, *, reviewed: bool):
    """Recompute the denormalised totals from the score rows (via `scoring.compute`) inside the
    caller's transaction; with `reviewed` also the final result and the dimension rows."""
    version = assessment.period.table_version
    items = as_items(indicators)
    rules = {
        "thresholds": version.thresholds,
        "allow_negative": version.allow_negative,
        "weights": weights_for(version.pk, assessment.category),
    }
    own = scoring.compute(items, {k: s.self_score for k, s in scores.items()}, **rules)
    assessment.self_total = own.total
    assessment.max_total = own.max_total
    if not reviewed:
        return own
    reviewed_scores = {k: s.reviewed_score for k, s in scores.items()}
    result = scoring.compute(items, reviewed_scores, bonus=assessment.bonus, **rules)
    assessment.gross_total = result.gross_total
    assessment.total = result.total
    assessment.rate = result.rate
    assessment.is_vetoed = result.vetoed
    assessment.star = result.star
    assessment.tier = result.tier
    by_id = {i.pk: i for i in indicators}
    assessment.veto_reason = "；".join(
        f"{by_id[pk].name}：{scores[pk].reason or scores[pk].evidence}".rstrip("：")
        for pk in result.vetoed_by
    )
    DimensionScore.objects.filter(assessment=assessment).delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment,
            dimension_id=dim,
            score=value,
            max_points=result.dimension_max.get(dim, 0),
        )
        for dim, value in result.dimensions.items()
    )
    return result


def _online_entries(assessment, indicators) -> dict:
    """The entries of the indicators scored online (线上考核), as the portal's data gives them."""
    return {
        pk: {"score": result.score, "evidence": result.basis}
        for pk, result in online.scores(indicators, assessment.unit, assessment.period).items()
    }


def _locked(pk, expected_version):
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "period")
        .get(pk=pk)
    )
    if expected_version is not None and WORKFLOW.version_of(assessment) != expected_version:
        raise AlreadyHandled(_("该考评已被他人修改或办理，请刷新页面后重试。"))
    return assessment


@transaction.atomic
def save_draft(*, actor, pk, entries: dict, expected_version=None):
    """Save the branch's self-assessment as a draft: per indicator a score (or nothing yet)
    and an evidence text. Scores out of range are refused with the item's name; a veto item
    declared triggered needs an explanation. Blocked outside the filling window."""
    assessment = _locked(pk, expected_version)
    if not actor.has_perm("evaluation.submit_assessment", assessment):
        raise PermissionDenied
    if not assessment.is_editable:
        raise EvaluationError(
            _("该考评当前为“%(s)s”，不可编辑。") % {"s": assessment.get_status_display()}
        )
    fill_window(assessment.period).require_open(EvaluationError)
    indicators = indicators_for(assessment.period.table_version_id, assessment.category)
    entries = {**entries, **_online_entries(assessment, indicators)}  # not the secretary's to set
    errors = _score_problems(indicators, {k: v.get("score") for k, v in entries.items()})
    for indicator in indicators:
        entry = entries.get(indicator.pk) or {}
        explained = (entry.get("evidence") or "").strip()
        if indicator.kind == IndicatorKind.VETO and entry.get("score") and not explained:
            errors.append(
                _("勾选否决项目“%(name)s”时，请在佐证说明中写明情况。") % {"name": indicator.name}
            )
    if errors:
        raise ValidationError(errors)
    scores = {s.indicator_id: s for s in assessment.scores.all()}
    new, changed = [], []
    for indicator in indicators:
        if indicator.pk not in entries:
            continue
        entry = entries[indicator.pk]
        value = entry.get("score")
        value = None if value in (None, "") else scoring.clamp(as_items([indicator])[0], value)
        row = scores.get(indicator.pk)
        if row is None:
            row = AssessmentScore(assessment=assessment, indicator=indicator)
            scores[indicator.pk] = row
            new.append(row)
        else:
            changed.append(row)
        row.self_score = value
        row.evidence = (entry.get("evidence") or "").strip()
    AssessmentScore.objects.bulk_create(new)
    AssessmentScore.objects.bulk_update(changed, ["self_score", "evidence"])
    apply_result(assessment, indicators, scores, reviewed=False)
    assessment.revision += 1
    assessment.save()
    return assessment


def _first_reviewers(unit):
    chain = approval_chain(unit)
    if not chain:
        return []
    return reviewers_at(chain[0])


def submit_assessment(*, actor, pk, comment="", expected_version=None):
    """Submit the self-assessment before the close date. Every basic and special indicator
    needs a self score (deductions and vetoes default to none); the reviewed scores start as
    the self scores and the result is computed."""

    def before_save(assessment, _t):
        fill_window(assessment.period).require_open(EvaluationError)
        indicators = indicators_for(assessment.period.table_version_id, assessment.category)
        scores = {s.indicator_id: s for s in assessment.scores.all()}
        new = []
        for indicator in indicators:
            if indicator.pk not in scores:
                row = AssessmentScore(assessment=assessment, indicator=indicator)
                scores[indicator.pk] = row
                new.append(row)
        for indicator_id, entry in _online_entries(assessment, indicators).items():
            # taken afresh: the data may have changed since the draft was saved
            scores[indicator_id].self_score = entry["score"]
            scores[indicator_id].evidence = entry["evidence"]
        missing = [
            i.name for i in indicators if i.kind in EARNING and scores[i.pk].self_score is None
        ]
        if missing:
            shown = _("、").join(missing[:8])
            if len(missing) > 8:
                shown += _("等 %(n)d 项") % {"n": len(missing)}
            raise ValidationError(_("请先为以下指标填写自评分：%(m)s。") % {"m": shown})
        for row in scores.values():
            row.self_score = row.self_score if row.self_score is not None else Decimal(0)
            row.reviewed_score = row.self_score
            row.reason = ""
            row.adjusted_by = None
            row.adjusted_at = None
        AssessmentScore.objects.bulk_create(new)
        AssessmentScore.objects.bulk_update(
            [r for r in scores.values() if r not in new],
            ["self_score", "evidence", "reviewed_score", "reason", "adjusted_by", "adjusted_at"],
        )
        apply_result(assessment, indicators, scores, reviewed=True)
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = actor
        assessment.revision += 1

    def after_save(assessment, _t, _from):
        notify(
            _first_reviewers(assessment.unit),
            title=_("待审核：%(unit)s 提交了“%(period)s”自评")
            % {"unit": assessment.unit, "period": assessment.period},
            url=_link(assessment),
        )

    return WORKFLOW.apply(
        pk,
        "submit",
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        before_save=before_save,
        after_save=after_save,
    )


@transaction.atomic
def adjust_scores(*, actor, pk, changes: dict, expected_version=None):
    """The reviewer adjusts reviewed scores (`changes`: indicator id → (score, reason)). A
    changed score needs a reason; triggering a veto item voids the result (一票否决) with that
    reason. Each change is audited with from → to and the reason. Returns the changed items."""
    assessment = _locked(pk, expected_version)
    if not actor.has_perm("evaluation.review_assessment", assessment):
        raise PermissionDenied
    if assessment.status != Status.SUBMITTED:
        raise EvaluationError(
            _("只有待审核的考评可以调整分数（当前状态：%(s)s）。")
            % {"s": assessment.get_status_display()}
        )
    indicators = indicators_for(assessment.period.table_version_id, assessment.category)
    by_id = {i.pk: i for i in indicators}
    changes = {k: v for k, v in changes.items() if k in by_id}
    errors = _score_problems(indicators, {k: v[0] for k, v in changes.items()})
    scores = {s.indicator_id: s for s in assessment.scores.all()}
    changed = []
    now = timezone.now()
    for indicator_id, (value, reason) in changes.items():
        indicator, row = by_id[indicator_id], scores.get(indicator_id)
        if row is None or value in (None, ""):
            continue
        new = scoring.clamp(as_items([indicator])[0], value)
        old = row.reviewed_score
        if old is not None and new == old:
            continue
        reason = (reason or "").strip()
        if not reason:
            errors.append(_("调整“%(name)s”的分数必须填写理由。") % {"name": indicator.name})
            continue
        row.reviewed_score, row.reason, row.adjusted_by, row.adjusted_at = new, reason, actor, now
        changed.append((indicator, old, new, reason))
    if errors:
        raise ValidationError(errors)
    if not changed:
        return []
    AssessmentScore.objects.bulk_update(
        [scores[i.pk] for i, *_rest in changed],
        ["reviewed_score", "reason", "adjusted_by", "adjusted_at"],
    )
    for indicator, old, new, reason in changed:
        action = "adjust_score"
        if indicator.kind == IndicatorKind.VETO:
            action = "veto" if new else "lift_veto"
        record_audit(
            actor=actor,
            obj=assessment,
            action=action,
            from_state=points(old),
            to_state=points(new),
            comment=_("%(name)s：%(reason)s") % {"name": indicator.name, "reason": reason},
        )
    apply_result(assessment, indicators, scores, reviewed=True)
    assessment.revision += 1
    assessment.save()
    return changed


def _reviewed(assessment, actor):
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = actor
    assessment.revision += 1


def _unreviewed(assessment, _actor):
    assessment.reviewed_at = None
    assessment.reviewed_by = None
    assessment.revision += 1


def _next_revision(assessment, _actor):
    assessment.revision += 1


accept = decision(WORKFLOW, "accept", prepare=_reviewed)
accept.__doc__ = "Offline acceptance (线下验收): the reviewer confirms the (adjusted) scores."
return_for_revision = decision(
    WORKFLOW,
    "return",
    prepare=_next_revision,
    tell=telling(
        lambda assessment: [assessment.submitted_by],
        _lazy("“%(period)s”自评被退回修改"),
        subject=lambda assessment: {"period": assessment.period},
        link=_link,
    ),
)
return_for_revision.__doc__ = """Return to the branch with a required comment; it may revise
and resubmit until the close date."""
reopen = decision(WORKFLOW, "reopen", prepare=_unreviewed)
reopen.__doc__ = "Withdraw an acceptance before publication, to adjust again."


@transaction.atomic
def add_evidence(*, actor, assessment, indicator, upload):
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=assessment.pk)
    )
    if not actor.has_perm("evaluation.edit_assessment", assessment):
        raise EvaluationError(_("该考评当前不可编辑，不能上传佐证材料。"))
    fill_window(assessment.period).require_open(EvaluationError)
    if indicator.pk not in {
        i.pk for i in indicators_for(assessment.period.table_version_id, assessment.category)
    }:
        raise EvaluationError(_("该指标不属于本考评。"))
    return save_document(Evidence(assessment=assessment, indicator=indicator), upload, actor=actor)


@transaction.atomic
def remove_evidence(*, actor, evidence):
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=evidence.assessment_id)
    )
    if not actor.has_perm("evaluation.edit_assessment", assessment):
        raise EvaluationError(_("该考评当前不可编辑，不能删除佐证材料。"))
    evidence.delete_with_file()


def sync_committees(path: str) -> int:
    """The unit at `path` moved with its subtree: their assessments (of every period: the
    portal lists a unit's results where the unit is now, as its permissions do) take the
    committee they lie under now. Wired to `branches.signals.subtree_moved`. Returns how many
    assessments were updated."""
    below = Assessment.objects.filter(unit__path__startswith=path)
    if len(path) >= COMMITTEE_PATH_LEN:
        return below.update(committee=OrgUnit.objects.get(path=path[:COMMITTEE_PATH_LEN]))
    # a unit moved above the committees' depth: each committee below it heads its subtree
    updated = below.filter(unit__depth__lt=COMMITTEE_DEPTH).update(committee=None)
    for committee in OrgUnit.objects.filter(path__startswith=path, depth=COMMITTEE_DEPTH):
        updated += Assessment.objects.filter(unit__path__startswith=committee.path).update(
            committee=committee
        )
    return updated
