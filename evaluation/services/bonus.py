"""Bonus items (加分项): the upper level records, with a reason, points a branch earned beyond
the table (seed 003: "线上记录每个支部的加分和扣分项"). The rule:

* who: a reviewer above the unit (`evaluation.record_bonus`: `branches.access.reviewer_covers`,
  never the unit's own level);
* when: while the assessment is not published — a published result is not changed behind its
  readers (there is no un-publishing; a correction is next period's business) — and never on
  an aggregate period, whose bonus is the mean of its months';
* how much: points > 0; all of an assessment's items together at most the version's
  `bonus_cap` (a version without a cap has no bonus items);
* effect: `Assessment.bonus` is the sum, and once the branch has submitted, the reviewed
  result is recomputed at once (`scoring.compute(bonus=…)`); before that, submission takes it.

Each record and withdrawal is audited on the assessment (who, when, points, reason)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.formats import points
from workflow.services import record_audit

from .. import scoring
from ..models import BonusItem, Status
from ..selectors.tables import indicators_for
from .assessments import EvaluationError, _locked, apply_result

WITHDRAWN = _lazy("该加分已被撤销，请刷新页面。")

#: Statuses in which the assessment carries a reviewed result to recompute.
SCORED = (Status.SUBMITTED, Status.REVIEWED)


def bonus_refusal(assessment) -> str:
    """Why no bonus may be recorded on `assessment` now ("" when it may)."""
    if assessment.status == Status.PUBLISHED:
        return _("考评结果已发布，不能再记录或撤销加分。")
    if assessment.period.is_aggregate:
        return _("汇总周期的加分取自各来源周期，不能直接记录。")
    if assessment.period.table_version.bonus_cap is None:
        return _("本考评使用的评价表版本未设加分项。")
    return ""


def _refresh(assessment, total: Decimal) -> None:
    """Store the new sum and, when a reviewed result exists, recompute it."""
    assessment.bonus = total
    if assessment.status in SCORED:
        indicators = indicators_for(assessment.period.table_version_id, assessment.category)
        scores = {s.indicator_id: s for s in assessment.scores.all()}
        apply_result(assessment, indicators, scores, reviewed=True)
    assessment.revision += 1
    assessment.save()


def _open(actor, pk, expected_version):
    assessment = _locked(pk, expected_version)
    if not actor.has_perm("evaluation.review_assessment", assessment):
        raise PermissionDenied
    refusal = bonus_refusal(assessment)
    if refusal:
        raise EvaluationError(refusal)
    return assessment


def _sum(assessment) -> Decimal:
    found = BonusItem.objects.filter(assessment=assessment).aggregate(s=Sum("points"))["s"]
    return scoring.q(found or 0)


@transaction.atomic
def record_bonus(*, actor, pk, points_value, reason, expected_version=None) -> BonusItem:
    """Record a bonus item on assessment `pk`. Refused with a message at the field: points
    missing, not positive or past the cap (with what is left), reason empty."""
    assessment = _open(actor, pk, expected_version)
    cap = assessment.period.table_version.bonus_cap
    current = _sum(assessment)
    errors = {}
    value = scoring.to_decimal(points_value)
    if value is None:
        errors["points"] = _("请填写加分分值（数字）。")
    elif value <= 0:
        errors["points"] = _("加分须大于 0。")
    elif scoring.q(value) != value:
        errors["points"] = _("加分最多保留两位小数。")
    elif current + value > cap:
        errors["points"] = _(
            "加分合计不能超过 %(cap)s 分（已加 %(done)s 分，还可加 %(left)s 分）。"
        ) % {
            "cap": points(cap),
            "done": points(current),
            "left": points(max(cap - current, Decimal(0))),
        }
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写加分理由。")
    if errors:
        raise ValidationError(errors)
    item = BonusItem.objects.create(
        assessment=assessment, points=value, reason=reason, recorded_by=actor
    )
    _refresh(assessment, current + value)
    record_audit(
        actor=actor,
        obj=assessment,
        action="bonus",
        from_state=points(current),
        to_state=points(current + value),
        comment=_("加分 %(p)s：%(reason)s") % {"p": points(value), "reason": reason},
    )
    return item


@transaction.atomic
def withdraw_bonus(*, actor, item_pk, reason="") -> Decimal:
    """Withdraw a bonus item (a reason is required: the audit says why). Returns the new sum."""
    assessment_id = (
        BonusItem.objects.filter(pk=item_pk).values_list("assessment_id", flat=True).first()
    )
    if assessment_id is None:  # withdrawn by someone else before this request read it
        raise EvaluationError(WITHDRAWN)
    assessment = _open(actor, assessment_id, None)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("撤销加分须填写理由。")})
    item = BonusItem.objects.filter(pk=item_pk, assessment=assessment).first()
    if item is None:  # withdrawn by someone else while we waited for the lock
        raise EvaluationError(WITHDRAWN)
    current = _sum(assessment)
    item.delete()
    total = current - item.points
    _refresh(assessment, total)
    record_audit(
        actor=actor,
        obj=assessment,
        action="withdraw_bonus",
        from_state=points(current),
        to_state=points(total),
        comment=_("撤销加分 %(p)s（%(was)s）：%(reason)s")
        % {"p": points(item.points), "was": item.reason, "reason": reason},
    )
    return total
