"""Writes of the quarterly party-group assessment (党小组动态考评, seed 004): the branch scores
each of its groups on the party-group table at the end of the quarter (季度末) and publishes the
results at the start of the next (下季度初). Items the portal already answers — group meetings
in the ledger, 五个一 items, pioneer-post reviews — are prefilled by evaluation's party-group
rules and refreshed on every save; the secretary types the rest, and changes a prefilled figure
only with a reason. Every write is atomic, row-locked and audited."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit
from common.errors import DomainError
from evaluation import online, scoring
from evaluation.selectors import tables as evaluation_tables
from ledger import selectors as ledger_selectors
from workflow.services import notify, record_audit
from workflow.windows import local_today

from .. import selectors
from ..audit import Action
from ..models import GROUP_TABLE_CODE, AssessmentStatus, GroupAssessment, GroupScore
from ..quarters import Quarter, open_quarters

S = selectors.assessment


class AssessmentError(DomainError):
    """A refused quarterly assessment change; the message says why."""


def field_name(indicator_id: int) -> str:
    """The form field (and the key of a refusal) of an item's score."""
    return f"score_{indicator_id}"


def note_name(indicator_id: int) -> str:
    return f"note_{indicator_id}"


def facts_by_group(branch, quarter: Quarter) -> dict[int, online.GroupFacts]:
    """What the prefill rules read for each group of the branch in the quarter (four queries
    for the whole branch)."""
    meetings = S.group_meetings(branch, quarter)
    items = S.innovation_counts(branch, quarter)
    reviews = S.review_counts(branch, quarter)
    facts = {}
    for group_id in set(meetings) | set(items) | set(reviews):
        m = meetings.get(group_id)
        filed, selected = items.get(group_id, (0, 0))
        n, led = reviews.get(group_id, (0, 0))
        facts[group_id] = online.GroupFacts(
            meetings_required=m.required if m else 0,
            meetings_held=m.held if m else 0,
            meeting_dates=m.dates if m else (),
            items_filed=filed,
            items_selected=selected,
            reviews=n,
            reviews_led=led,
        )
    return facts


def _items(indicators) -> list[scoring.Item]:
    return evaluation_tables.as_items(indicators)


def _apply_total(assessment, items, points_by_id):
    result = scoring.compute(
        items,
        points_by_id,
        thresholds=assessment.version.thresholds,
        allow_negative=assessment.version.allow_negative,
    )
    assessment.total, assessment.max_total, assessment.vetoed = (
        result.total,
        result.max_total,
        result.vetoed,
    )


@transaction.atomic
def start_quarter(*, actor, branch, quarter: Quarter) -> list[GroupAssessment]:
    """Open the quarter's drafts for each active group of the branch that has none yet, on the
    latest published party-group table, with the prefilled items scored. Idempotent."""
    if not actor.has_perm("groups.manage_group_assessments", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党小组。"))
    if quarter not in open_quarters(local_today()):
        raise AssessmentError(
            _("%(quarter)s 不在可考评的季度内（季度最后一个月起可以考评）。")
            % {"quarter": quarter.label}
        )
    version, indicators = evaluation_tables.latest_published(GROUP_TABLE_CODE)
    if version is None:
        raise AssessmentError(_("尚未发布党小组考评表，请联系系统管理员。"))
    OrgUnit.objects.select_for_update().filter(pk=branch.pk).first()  # one start at a time
    existing = S.of_quarter(branch, quarter, drafts=True)
    todo = [g for g in ledger_selectors.groups_of(branch) if g.pk not in existing]
    if not todo:
        return []
    facts = facts_by_group(branch, quarter)
    items = _items(indicators)
    created = []
    for group in todo:
        assessment = GroupAssessment(
            branch=branch,
            group=group,
            year=quarter.year,
            quarter=quarter.number,
            version=version,
            created_by=actor,
        )
        prefill = online.group_scores(indicators, facts.get(group.pk, online.GroupFacts()))
        scores = []
        for indicator in indicators:
            found = prefill.get(indicator.pk)
            default = None if indicator.kind in scoring.EARNING_KINDS else Decimal(0)
            scores.append(
                GroupScore(
                    indicator=indicator,
                    system_points=found.score if found else None,
                    basis=found.basis if found else "",
                    points=found.score if found else default,
                )
            )
        _apply_total(assessment, items, {s.indicator_id: s.points for s in scores})
        assessment.save()
        for score in scores:
            score.assessment = assessment
        GroupScore.objects.bulk_create(scores)
        record_audit(
            actor=actor,
            obj=assessment,
            action=Action.ASSESSMENT_STARTED,
            to_state=assessment.status,
            unit=branch,
        )
        created.append(assessment)
    return created


def _locked(actor, assessment_id) -> GroupAssessment:
    assessment = (
        GroupAssessment.objects.select_for_update(of=("self",))
        .select_related("branch", "group", "version")
        .get(pk=assessment_id)
    )
    if not actor.has_perm("groups.manage_group_assessment", assessment):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党小组。"))
    return assessment


def _write_scores(assessment, values: dict) -> list[GroupScore]:
    """Refresh the prefilled figures, then store what the secretary typed (`values`: field
    name → value, as the form cleaned it). Refusals by field, nothing half-written."""
    quarter = Quarter(assessment.year, assessment.quarter)
    scores = list(S.scores_of(assessment))
    indicators = [s.indicator for s in scores]
    facts = facts_by_group(assessment.branch, quarter).get(assessment.group_id, online.GroupFacts())
    prefill = online.group_scores(indicators, facts)
    items = _items(indicators)
    typed = {}
    for s in scores:
        value = values.get(field_name(s.indicator_id))
        if s.indicator.kind == scoring.VETO:
            value = Decimal(1) if value else Decimal(0)
        typed[s.indicator_id] = value
    errors = {}
    for item_id, problem in scoring.problems(items, typed).items():
        errors[field_name(item_id)] = {
            "not_number": _("请填写数字。"),
            "negative": _("得分不能为负数。"),
            "above_max": _("不能超过本项分值。"),
        }[problem]
    for score in scores:
        found = prefill.get(score.indicator_id)
        shown = score.system_points  # the figure the form showed, before this refresh
        score.system_points = found.score if found else None
        score.basis = found.basis if found else ""
        value = scoring.to_decimal(typed[score.indicator_id])
        note = (values.get(note_name(score.indicator_id)) or "").strip()
        if found is not None:
            # Left as shown (the page's figure, or the new one): follow the portal's figure,
            # so a meeting recorded since the page was opened counts without a reason.
            if value is None or value == found.score or (value == shown and not note):
                value, note = found.score, ""
            elif not note:
                errors[note_name(score.indicator_id)] = _("调整系统预填分，请说明理由。")
        score.points, score.note = value, note
    if errors:
        raise ValidationError(errors)
    GroupScore.objects.bulk_update(scores, ["system_points", "basis", "points", "note"])
    _apply_total(assessment, items, {s.indicator_id: s.points for s in scores})
    return scores


@transaction.atomic
def save_scores(*, actor, assessment_id, values: dict) -> GroupAssessment:
    """Save a draft: any item may still be blank."""
    assessment = _locked(actor, assessment_id)
    if not assessment.is_draft:
        raise AssessmentError(_("考评结果已公布，如需修改请先退回草稿。"))
    _write_scores(assessment, values)
    assessment.save(update_fields=["total", "max_total", "vetoed"])
    record_audit(
        actor=actor, obj=assessment, action=Action.ASSESSMENT_SAVED, unit=assessment.branch
    )
    return assessment


@transaction.atomic
def submit_scores(*, actor, assessment_id, values: dict) -> GroupAssessment:
    """Save and publish to the group: from the first day of the next quarter (下季度初), every
    scoring item scored."""
    assessment = _locked(actor, assessment_id)
    if not assessment.is_draft:
        raise AssessmentError(_("考评结果已公布。"))
    quarter = Quarter(assessment.year, assessment.quarter)
    if local_today() < quarter.publishes_from:
        raise AssessmentError(
            _("季度考评结果在下季度初公布：%(day)s 起可以提交。")
            % {"day": quarter.publishes_from.strftime("%Y-%m-%d")}
        )
    scores = _write_scores(assessment, values)
    blank = {
        field_name(s.indicator_id): _("提交前请为本项评分。")
        for s in scores
        if s.points is None and s.indicator.kind in scoring.EARNING_KINDS
    }
    if blank:
        raise ValidationError(blank)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = actor, timezone.now()
    assessment.save(
        update_fields=["total", "max_total", "vetoed", "status", "submitted_by", "submitted_at"]
    )
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.ASSESSMENT_SUBMITTED,
        from_state=AssessmentStatus.DRAFT,
        to_state=AssessmentStatus.SUBMITTED,
        unit=assessment.branch,
    )
    notify(
        ledger_selectors.group_member_users(assessment.group),
        title=_("%(group)s %(quarter)s考评结果已公布：%(total)s 分")
        % {"group": assessment.group.name, "quarter": quarter.label, "total": assessment.total},
        url=reverse("groups:assessment", args=[assessment.pk]),
    )
    return assessment


@transaction.atomic
def reopen(*, actor, assessment_id, reason: str) -> GroupAssessment:
    """Take a published result back to draft to correct it, with a reason (audited)."""
    assessment = _locked(actor, assessment_id)
    if assessment.is_draft:
        raise AssessmentError(_("该考评尚未公布。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明退回修改的理由。")})
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_by, assessment.submitted_at = None, None
    assessment.save(update_fields=["status", "submitted_by", "submitted_at"])
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.ASSESSMENT_REOPENED,
        from_state=AssessmentStatus.SUBMITTED,
        to_state=AssessmentStatus.DRAFT,
        comment=reason,
        unit=assessment.branch,
    )
    return assessment
