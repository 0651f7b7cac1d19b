"""The public notice (公示): any logged-in user may object to a candidate while the notice
runs; the committee (or the province) handles each objection, and upholding one takes the
candidate off the list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.services import notify, record_audit
from workflow.transitions import AlreadyHandled

from ..models import Candidacy, CandidacyStatus, Objection, ObjectionStatus
from ..windows import notice_window
from .candidacy import disqualify
from .common import FlagshipError

MAX_TEXT = 2000


def file_objection(*, actor, candidacy_pk, text, now=None) -> Objection:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写异议内容及事实依据。"))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("异议内容不超过 %(n)d 字。") % {"n": MAX_TEXT})
    if not actor.has_perm("flagship.object"):
        raise PermissionDenied
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.select_related("cycle", "unit").get(pk=candidacy_pk)
            notice_window(candidacy.cycle).require_open(FlagshipError, now)
            if candidacy.status != CandidacyStatus.ACCEPTED:
                raise FlagshipError(_("该单位不在公示名单中。"))
            objection = Objection.objects.create(candidacy=candidacy, author=actor, text=text)
            record_audit(actor=actor, obj=objection, action="object", unit=candidacy.unit)
            cycle = candidacy.cycle
            notify(
                [m.user for m in cycle.committee_members.select_related("user")],
                title=_("公示异议：%(unit)s") % {"unit": candidacy.unit},
                body=text[:200],
                url=reverse("flagship:objections", args=[cycle.pk]),
            )
    except IntegrityError as exc:
        raise FlagshipError(_("您对该单位的异议尚在处理中，请勿重复提交。")) from exc
    return objection


@transaction.atomic
def handle_objection(*, actor, pk, upheld: bool, response: str) -> Objection:
    """Decide an objection with a written response. Upheld: the candidate is disqualified
    (取消资格), audited on the candidacy with the response as the comment."""
    objection = Objection.objects.select_for_update().select_related("candidacy__cycle").get(pk=pk)
    candidacy = objection.candidacy
    if not actor.has_perm("flagship.handle_objections", candidacy.cycle):
        raise PermissionDenied
    if objection.status != ObjectionStatus.OPEN:
        raise AlreadyHandled(_("该异议已被处理，请刷新后查看。"))
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("请填写处理意见。"))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.response = response
    objection.handled_by = actor
    objection.handled_at = timezone.now()
    objection.save()
    record_audit(
        actor=actor,
        obj=objection,
        action="handle_objection",
        from_state=ObjectionStatus.OPEN,
        to_state=objection.status,
        comment=response,
        unit=candidacy.unit,
    )
    if upheld and candidacy.status == CandidacyStatus.ACCEPTED:
        disqualify(actor=actor, pk=candidacy.pk, comment=response)
    notify(
        [objection.author],
        title=_("您对 %(unit)s 的公示异议已处理：%(result)s")
        % {"unit": candidacy.unit, "result": objection.get_status_display()},
        body=response,
        url=reverse("flagship:notice", args=[candidacy.cycle_id]),
    )
    return objection
