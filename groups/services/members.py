"""Writes of the member assessment (党员考评, seed 002: 双百 党员百分制 and 党员岗位KPI, yearly).
The branch opens a period for one table and year over the members on its roster; a member may
self-assess while it is open (optional); the branch scores each member (定分) and publishes the
period to its members; for the KPI table the result is the score × the member's coefficient
for the year, set by the branch within bounds. Scoring is evaluation's (`evaluation.scoring`:
items, totals, deductions, veto) on its table versions. Every write is atomic, row-locked and
audited."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit
from common.errors import DomainError
from evaluation import scoring
from evaluation.selectors import tables as evaluation_tables
from ledger import selectors as ledger_selectors
from workflow.services import notify, record_audit
from workflow.windows import local_today

from ..audit import Action
from ..models import (
    COEFFICIENT_DEFAULT,
    COEFFICIENT_MAX,
    COEFFICIENT_MIN,
    TABLE_CODES,
    KpiCoefficient,
    MemberAssessment,
    MemberPeriod,
    MemberScore,
    MemberTable,
    PeriodStatus,
)
from ..selectors import members as S
from .assessment import field_name


class MemberAssessmentError(DomainError):
    """A refused member-assessment change; the message says why."""


def coefficient_name(member_id: int) -> str:
    """The form field (and the key of a refusal) of a member's KPI coefficient."""
    return f"coefficient_{member_id}"


def open_years(today) -> list[int]:
    """The years a branch may open a period for: this one and the one before (a year's
    assessment runs at its end and into the next)."""
    return [today.year, today.year - 1]


def _kpi_result(total, coefficient):
    return None if coefficient is None else scoring.q(Decimal(total) * Decimal(coefficient))


def _computed(version, indicators, points_by_id):
    return scoring.compute(
        evaluation_tables.as_items(indicators),
        points_by_id,
        thresholds=version.thresholds,
        allow_negative=version.allow_negative,
    )


@transaction.atomic
def open_period(*, actor, branch, table: str, year: int) -> MemberPeriod:
    """Open `table` for `year` over the branch's active members, on the table's latest
    published version; for the KPI table each member's coefficient for the year (default 1)."""
    if not actor.has_perm("groups.manage_member_assessments", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党员。"))
    if table not in TABLE_CODES:
        raise ValidationError({"table": _("请选择考评表。")})
    if year not in open_years(local_today()):
        raise ValidationError({"year": _("只能考评本年度或上一年度。")})
    version, indicators = evaluation_tables.latest_published(TABLE_CODES[table])
    if version is None:
        raise MemberAssessmentError(_("尚未发布该党员考评表，请联系系统管理员。"))
    OrgUnit.objects.select_for_update().filter(pk=branch.pk).first()  # one opening at a time
    if MemberPeriod.objects.filter(branch=branch, table=table, year=year).exists():
        raise MemberAssessmentError(_("本支部该年度的这项党员考评已开始。"))
    members = list(ledger_selectors.roster(actor, branch))
    if not members:
        raise MemberAssessmentError(_("党员名册中没有在册党员。"))
    period = MemberPeriod.objects.create(
        branch=branch, table=table, year=year, version=version, created_by=actor
    )
    coefficients = S.coefficients_of(branch, year) if table == MemberTable.POST_KPI else {}
    _add_assessments(period, indicators, members, coefficients)
    record_audit(
        actor=actor,
        obj=period,
        action=Action.MEMBER_PERIOD_OPENED,
        to_state=period.status,
        comment=_("%(n)d 名党员") % {"n": len(members)},
        unit=branch,
    )
    return period


def _add_assessments(period, indicators, members, coefficients) -> list[MemberAssessment]:
    """Empty assessments (and their item rows) for `members`: three statements for any number."""
    empty = {i.pk: (None if i.kind in scoring.EARNING_KINDS else Decimal(0)) for i in indicators}
    result = _computed(period.version, indicators, empty)
    assessments = []
    for member in members:
        coefficient = None
        if period.is_kpi:
            coefficient = coefficients.get(member.pk, COEFFICIENT_DEFAULT)
        assessments.append(
            MemberAssessment(
                period=period,
                member=member,
                total=result.total,
                max_total=result.max_total,
                coefficient=coefficient,
                result=_kpi_result(result.total, coefficient),
            )
        )
    MemberAssessment.objects.bulk_create(assessments)
    MemberScore.objects.bulk_create(
        MemberScore(assessment=a, indicator_id=pk, points=points)
        for a in assessments
        for pk, points in empty.items()
    )
    return assessments


@transaction.atomic
def include_new_members(*, actor, period_id) -> int:
    """Add to an open period the roster's active members it does not list yet (joined or
    transferred in since it was opened). Returns how many were added."""
    period = _locked_period(actor, period_id)
    if not period.is_open:
        raise MemberAssessmentError(_("考评结果已公布，如需补充请先撤回公布。"))
    listed = set(period.assessments.values_list("member_id", flat=True))
    members = [m for m in ledger_selectors.roster(actor, period.branch) if m.pk not in listed]
    if not members:
        return 0
    indicators = evaluation_tables.indicators_for(period.version_id)
    coefficients = S.coefficients_of(period.branch, period.year) if period.is_kpi else {}
    _add_assessments(period, indicators, members, coefficients)
    record_audit(
        actor=actor,
        obj=period,
        action=Action.MEMBER_PERIOD_EXTENDED,
        comment=_("补充 %(n)d 名党员") % {"n": len(members)},
        unit=period.branch,
    )
    return len(members)


def _locked(assessment_id) -> MemberAssessment:
    """The assessment and its period, both locked: a score or a self-assessment waits for a
    publication under way and then sees the period as published (PostgreSQL re-reads a
    locked row that changed), so nothing is written into a published period."""
    return (
        MemberAssessment.objects.select_for_update(of=("self", "period"))
        .select_related("period__branch", "period__version", "member")
        .get(pk=assessment_id)
    )


def _typed(scores, values: dict, *, veto_as_flag=True) -> dict:
    typed = {}
    for s in scores:
        value = values.get(field_name(s.indicator_id))
        if s.indicator.kind == scoring.VETO and veto_as_flag:
            value = Decimal(1) if value else Decimal(0)
        typed[s.indicator_id] = value
    return typed


def _refusals(items, typed) -> dict:
    return {
        field_name(item_id): {
            "not_number": _("请填写数字。"),
            "negative": _("得分不能为负数。"),
            "above_max": _("不能超过本项分值。"),
        }[problem]
        for item_id, problem in scoring.problems(items, typed).items()
    }


@transaction.atomic
def save_self_assessment(*, actor, assessment_id, values: dict) -> MemberAssessment:
    """The member's own self-assessment (optional), while the period is open; the branch's
    scores are untouched."""
    assessment = _locked(assessment_id)
    if not actor.has_perm("groups.self_assess", assessment):
        raise PermissionDenied(_("只能在考评期间填写本人的自评。"))
    scores = list(S.scores_of(assessment))
    indicators = [s.indicator for s in scores]
    typed = _typed(scores, values)
    errors = _refusals(evaluation_tables.as_items(indicators), typed)
    if errors:
        raise ValidationError(errors)
    for s in scores:
        s.self_points = scoring.to_decimal(typed[s.indicator_id])
    MemberScore.objects.bulk_update(scores, ["self_points"])
    result = _computed(
        assessment.period.version, indicators, {s.indicator_id: s.self_points for s in scores}
    )
    assessment.self_total, assessment.self_submitted_at = result.total, timezone.now()
    assessment.save(update_fields=["self_total", "self_submitted_at"])
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.MEMBER_SELF_ASSESSED,
        unit=assessment.period.branch,
    )
    return assessment


@transaction.atomic
def score_member(*, actor, assessment_id, values: dict, done: bool = False) -> MemberAssessment:
    """The branch's scores of one member: a draft, or with `done` the member's score settled
    (定分: every scoring item scored). Changeable until the period is published."""
    assessment = _locked(assessment_id)
    if not actor.has_perm("groups.manage_member_assessment", assessment):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党员。"))
    if not assessment.period.is_open:
        raise MemberAssessmentError(_("考评结果已公布，如需修改请先撤回公布。"))
    scores = list(S.scores_of(assessment))
    indicators = [s.indicator for s in scores]
    typed = _typed(scores, values)
    errors = _refusals(evaluation_tables.as_items(indicators), typed)
    for s in scores:
        s.points = scoring.to_decimal(typed[s.indicator_id])
        if done and s.points is None and s.indicator.kind in scoring.EARNING_KINDS:
            errors.setdefault(field_name(s.indicator_id), _("定分前请为本项评分。"))
    if errors:
        raise ValidationError(errors)
    MemberScore.objects.bulk_update(scores, ["points"])
    result = _computed(
        assessment.period.version, indicators, {s.indicator_id: s.points for s in scores}
    )
    was = assessment.scored
    assessment.total, assessment.max_total = result.total, result.max_total
    assessment.vetoed = result.vetoed
    assessment.result = _kpi_result(result.total, assessment.coefficient)
    assessment.scored = done
    assessment.scored_by, assessment.scored_at = (actor, timezone.now()) if done else (None, None)
    assessment.save()
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.MEMBER_SCORED,
        from_state="scored" if was else "",
        to_state="scored" if done else "",
        unit=assessment.period.branch,
    )
    return assessment


def _locked_period(actor, period_id) -> MemberPeriod:
    period = (
        MemberPeriod.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=period_id)
    )
    if not actor.has_perm("groups.manage_member_assessments", period.branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党员。"))
    return period


@transaction.atomic
def publish_period(*, actor, period_id) -> MemberPeriod:
    """Publish the period to its members, once every member's score is settled (定分); each
    member is told their own result, nobody else's."""
    period = _locked_period(actor, period_id)
    if not period.is_open:
        raise MemberAssessmentError(_("考评结果已公布。"))
    rows = list(period.assessments.select_related("member__user"))
    pending = sum(1 for a in rows if not a.scored)
    if pending:
        raise MemberAssessmentError(
            _("还有 %(n)d 名党员未定分，全部定分后才能公布。") % {"n": pending}
        )
    period.status = PeriodStatus.PUBLISHED
    period.published_by, period.published_at = actor, timezone.now()
    period.save(update_fields=["status", "published_by", "published_at"])
    record_audit(
        actor=actor,
        obj=period,
        action=Action.MEMBER_PERIOD_PUBLISHED,
        from_state=PeriodStatus.OPEN,
        to_state=PeriodStatus.PUBLISHED,
        unit=period.branch,
    )
    for a in rows:  # one message each: the title carries the member's own result
        if a.member.user_id is not None:
            notify(
                [a.member.user],
                title=_("您的%(year)d年度%(table)s结果已公布")
                % {"year": period.year, "table": period.get_table_display()},
                url=reverse("groups:member_assessment", args=[a.pk]),
            )
    return period


@transaction.atomic
def withdraw_publication(*, actor, period_id, reason: str) -> MemberPeriod:
    """Take a published period back to open to correct it, with a reason (audited)."""
    period = _locked_period(actor, period_id)
    if period.is_open:
        raise MemberAssessmentError(_("该考评尚未公布。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明撤回公布的理由。")})
    period.status = PeriodStatus.OPEN
    period.published_by, period.published_at = None, None
    period.save(update_fields=["status", "published_by", "published_at"])
    record_audit(
        actor=actor,
        obj=period,
        action=Action.MEMBER_PERIOD_WITHDRAWN,
        from_state=PeriodStatus.PUBLISHED,
        to_state=PeriodStatus.OPEN,
        comment=reason,
        unit=period.branch,
    )
    return period


@transaction.atomic
def set_coefficient(*, actor, member, year: int, value) -> KpiCoefficient:
    """The member's post-KPI coefficient for `year` (COEFFICIENT_MIN–COEFFICIENT_MAX), set by
    the branch; the open KPI period of that year follows it (score × coefficient). Refused once
    that year's KPI results are published (they are not changed behind their reader)."""
    branch = member.branch
    if not actor.has_perm("groups.manage_member_assessments", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以设定KPI系数。"))
    number = scoring.to_decimal(value)
    if number is None or not COEFFICIENT_MIN <= number <= COEFFICIENT_MAX:
        raise ValidationError(
            {
                "value": _("KPI系数须在 %(low)s 到 %(high)s 之间。")
                % {"low": COEFFICIENT_MIN, "high": COEFFICIENT_MAX}
            }
        )
    number = scoring.q(number)
    period = (
        MemberPeriod.objects.select_for_update()
        .filter(branch=branch, table=MemberTable.POST_KPI, year=year)
        .first()
    )
    if period is not None and not period.is_open:
        raise MemberAssessmentError(_("该年度岗位KPI考评结果已公布，不能再修改系数。"))
    row = KpiCoefficient.objects.select_for_update().filter(member=member, year=year).first()
    before = row.value if row else COEFFICIENT_DEFAULT
    try:
        with transaction.atomic():
            if row is None:
                row = KpiCoefficient.objects.create(
                    member=member, year=year, value=number, set_by=actor
                )
            else:
                row.value, row.set_by = number, actor
                row.save(update_fields=["value", "set_by", "set_at"])
    except IntegrityError:  # set at the same instant by someone else: theirs stands
        raise MemberAssessmentError(_("系数刚被他人修改，请刷新后重试。")) from None
    if period is not None:
        for a in MemberAssessment.objects.select_for_update().filter(period=period, member=member):
            a.coefficient, a.result = number, _kpi_result(a.total, number)
            a.save(update_fields=["coefficient", "result"])
    record_audit(
        actor=actor,
        obj=row,
        action=Action.KPI_COEFFICIENT_SET,
        from_state=str(before),
        to_state=str(number),
        unit=branch,
    )
    return row


@transaction.atomic
def set_coefficients(*, actor, period_id, values: dict) -> int:
    """The coefficients of a KPI period's members at once (`values`: member id → value): the
    changed ones through `set_coefficient`, all or none. Returns how many changed."""
    period = (
        MemberPeriod.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=period_id)
    )
    if not period.is_kpi:
        raise MemberAssessmentError(_("只有岗位KPI考评设定系数。"))
    changed = 0
    errors = {}
    for a in period.assessments.select_related("member__branch"):
        value = values.get(a.member_id)
        if value is None or scoring.to_decimal(value) == a.coefficient:
            continue
        try:
            set_coefficient(actor=actor, member=a.member, year=period.year, value=value)
        except ValidationError as exc:
            errors[coefficient_name(a.member_id)] = exc.message_dict["value"]
        else:
            changed += 1
    if errors:
        raise ValidationError(errors)
    return changed
