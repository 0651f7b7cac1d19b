"""推先表彰, written: propose a round from a period's ranking, leave a unit out or put it back
with a reason, publish. Each step atomic, the round's row locked, audited; publishing
notifies the honoured units' secretaries after the commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import secretaries_at_units
from evaluation.selectors.published import leading_results
from workflow.services import notify, record_audit

from .audit import Action
from .models import Honour, HonourRound, RoundStatus

#: At most this many places in one round (a province's list, not a ranking export).
MAX_QUOTA = 500


@transaction.atomic
def propose_round(*, actor, period, title: str, quota: int) -> HonourRound:
    """A draft round listing the period's best `quota` published results province-wide
    (`evaluation.selectors.published.leading_results`: vetoed ones never, ties at the cut all)."""
    round_ = HonourRound(title=title, period=period, quota=quota, created_by=actor)
    if not actor.has_perm("honours.manage_round", round_):
        raise PermissionDenied(_("只有省级考评管理人员可以发起推先表彰。"))
    if not 1 <= quota <= MAX_QUOTA:
        raise ValidationError({"quota": _("表彰名额须在 1 到 %(n)d 之间。") % {"n": MAX_QUOTA}})
    leading = leading_results(period, quota)
    if not leading:
        raise ValidationError({"period": _("该周期还没有已发布的全省排名，无法推先。")})
    round_.full_clean()
    round_.save()
    Honour.objects.bulk_create(
        Honour(round=round_, unit=a.unit, rank=a.rank_province, total=a.total, star=a.star)
        for a in leading
    )
    record_audit(
        actor=actor,
        obj=round_,
        action=Action.PROPOSED,
        comment=_("依据“%(period)s”全省排名，拟定 %(n)d 个")
        % {"period": period, "n": len(leading)},
    )
    return round_


def _locked_draft(actor, pk) -> HonourRound:
    round_ = HonourRound.objects.select_for_update().select_related("period__scope").get(pk=pk)
    if not actor.has_perm("honours.manage_round", round_):
        raise PermissionDenied
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("名单已公布，不能再调整。"))
    return round_


@transaction.atomic
def set_included(*, actor, round_pk: int, pk: int, included: bool, reason: str) -> Honour:
    """Leave a unit out of a draft round's list, or put it back; the reason is required and
    kept on the row and in the audit trail."""
    _locked_draft(actor, round_pk)
    honour = Honour.objects.select_related("unit", "round").get(pk=pk, round_id=round_pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整理由。")})
    if honour.included == included:
        return honour
    honour.included, honour.reason = included, reason[:200]
    honour.save(update_fields=["included", "reason"])
    record_audit(
        actor=actor,
        obj=honour.round,
        action=Action.PUT_BACK if included else Action.LEFT_OUT,
        comment=f"{honour.unit.name}：{reason}",
        unit=honour.unit,
    )
    return honour


@transaction.atomic
def publish_round(*, actor, pk: int) -> HonourRound:
    round_ = _locked_draft(actor, pk)
    units = list(round_.honours.filter(included=True).values_list("unit_id", flat=True))
    if not units:
        raise ValidationError(_("名单为空，不能公布。"))
    round_.status, round_.published_by = RoundStatus.PUBLISHED, actor
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_by", "published_at"])
    record_audit(
        actor=actor,
        obj=round_,
        action=Action.PUBLISHED,
        from_state=RoundStatus.DRAFT,
        to_state=RoundStatus.PUBLISHED,
        comment=_("公布 %(n)d 个") % {"n": len(units)},
    )
    notify(
        secretaries_at_units(units),
        title=_("本支部入选“%(title)s”") % {"title": round_.title},
        url=reverse("honours:round", args=[round_.pk]),
    )
    return round_
