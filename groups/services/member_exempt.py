"""免评 (issue #17 item 7): the branch leaves a member out of an open period — they left the
branch, are long ill or abroad — with a reason (read by the branch only), audited, and takes it
back while the period is open. An exempt member needs no score, is not counted by the
publication's "all settled", gets no result and no notification, and is out of the
denominator of evaluation's 队伍管理好 shares (`evaluation/online_members.py`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflow.services import record_audit

from ..audit import Action
from ..models import MemberAssessment
from .members import MemberAssessmentError, _locked


def _checked(actor, assessment_id) -> MemberAssessment:
    assessment = _locked(assessment_id)
    if not actor.has_perm("groups.manage_member_assessment", assessment):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以考评党员。"))
    if not assessment.period.is_open:
        raise MemberAssessmentError(_("考评结果已公布，如需修改请先撤回公布。"))
    return assessment


@transaction.atomic
def exempt_member(*, actor, assessment_id, reason: str) -> MemberAssessment:
    """Mark the member 免评 in an open period, with a reason (required, audited). A draft or
    settled score is kept (shown again if the exemption is lifted) but counts for nothing."""
    assessment = _checked(actor, assessment_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明免评理由（如调离本支部、长期病假、出国）。")})
    if assessment.exempt:
        raise MemberAssessmentError(_("该党员本期已免评。"))
    assessment.exempt, assessment.exempt_reason = True, reason
    assessment.save(update_fields=["exempt", "exempt_reason"])
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.MEMBER_EXEMPTED,
        to_state="exempt",
        comment=reason,
        unit=assessment.period.branch,
    )
    return assessment


@transaction.atomic
def lift_exemption(*, actor, assessment_id) -> MemberAssessment:
    """Take the member back into the open period (audited); they are scored as any other."""
    assessment = _checked(actor, assessment_id)
    if not assessment.exempt:
        raise MemberAssessmentError(_("该党员本期未免评。"))
    was = assessment.exempt_reason
    assessment.exempt, assessment.exempt_reason = False, ""
    assessment.save(update_fields=["exempt", "exempt_reason"])
    record_audit(
        actor=actor,
        obj=assessment,
        action=Action.MEMBER_EXEMPTION_LIFTED,
        from_state="exempt",
        comment=_("原免评理由：%(reason)s") % {"reason": was},
        unit=assessment.period.branch,
    )
    return assessment
