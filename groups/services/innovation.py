"""Writes of the 五个一 drive. A member files their own item (or their group leader, or the
branch's secretary, files it for them); the branch decides in a meeting whether it is selected,
and recommends selected items upward. Each write is atomic, locked and audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from ledger.rules import leads_group
from workflow.services import record_audit
from workflow.windows import local_today

from ..audit import Action
from ..models import InnovationItem, InnovationStatus


class InnovationError(DomainError):
    """A refused 五个一 change; the message says why."""


def may_file_for(user, member) -> bool:
    """The member themself, the leader of the member's group, or a keeper of the branch."""
    if user.has_perm("ledger.edit_roster", member.branch):
        return True
    if member.user_id is not None and member.user_id == user.pk:
        return True
    return member.party_group is not None and leads_group(user, member.party_group)


@transaction.atomic
def file_item(*, actor, member, kind, title, description) -> InnovationItem:
    if not member.is_active:
        raise ValidationError({"member": _("请选择本支部在册党员。")})
    if not may_file_for(actor, member):
        raise PermissionDenied(_("只能为本人或本党小组的党员申报。"))
    item = InnovationItem(
        branch=member.branch,
        member=member,
        party_group=member.party_group,
        kind=kind,
        title=title,
        description=description,
        year=local_today().year,
        filed_by=actor,
    )
    item.full_clean()
    item.save()
    record_audit(actor=actor, obj=item, action=Action.INNOVATION_FILED, unit=member.branch)
    return item


def _locked_for_keeper(actor, item_id, refusal) -> InnovationItem:
    """The item, row-locked; PermissionDenied(`refusal`) unless the actor keeps its branch."""
    item = (
        InnovationItem.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=item_id)
    )
    if not actor.has_perm("ledger.edit_roster", item.branch):
        raise PermissionDenied(refusal)
    return item


def _audit_status(actor, item, action, note):
    record_audit(
        actor=actor, obj=item, action=action, to_state=item.status, comment=note, unit=item.branch
    )


@transaction.atomic
def decide_item(*, actor, item_id, selected: bool, meeting=None, note: str = "") -> InnovationItem:
    """The branch's decision, taken in a meeting of its ledger (which must be the branch's)."""
    item = _locked_for_keeper(actor, item_id, _("只有本支部书记或系统管理员可以评选。"))
    if item.status != InnovationStatus.FILED:
        raise InnovationError(_("该项目已评议过。"))
    if meeting is not None and meeting.branch_id != item.branch_id:
        raise ValidationError({"meeting": _("请选择本支部的会议记录。")})
    item.status = InnovationStatus.SELECTED if selected else InnovationStatus.NOT_SELECTED
    item.reviewed_in = meeting
    item.decision_note = note
    item.save(update_fields=["status", "reviewed_in", "decision_note"])
    _audit_status(actor, item, Action.INNOVATION_DECIDED, note)
    return item


@transaction.atomic
def recommend_item(*, actor, item_id, note: str = "") -> InnovationItem:
    item = _locked_for_keeper(actor, item_id, _("只有本支部书记或系统管理员可以推荐。"))
    if item.status != InnovationStatus.SELECTED:
        raise InnovationError(_("只有支部评选出的项目可以向上推荐。"))
    item.status = InnovationStatus.RECOMMENDED
    item.save(update_fields=["status"])
    _audit_status(actor, item, Action.INNOVATION_RECOMMENDED, note)
    return item
