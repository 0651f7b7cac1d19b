"""Writes of the roster. Each is one transaction, checks the actor's right first, locks the rows
two secretaries (or a secretary and an administrator) could change at once, validates with the
models' own rules (`full_clean`, messages at the field) and leaves an audit entry saying who,
when and why. Personal values (phone, birth date) are never written into the audit trail:
only which fields changed."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrgUnit, UnitType
from common.errors import DomainError
from workflow.services import record_audit

from ..models import Member, PartyGroup

#: The fields a secretary fills in the member form (moves and leaving have their own services).
MEMBER_FIELDS = (
    "party_group",
    "name",
    "gender",
    "birth_date",
    "education",
    "joined_on",
    "full_member_on",
    "status",
    "post",
    "phone",
    "user",
)
#: An edit changes everything but the group: a move has its own service, with a reason.
EDIT_FIELDS = tuple(f for f in MEMBER_FIELDS if f != "party_group")


class RosterError(DomainError):
    """A refused roster change; the message says why, in the user's language."""


def _require_editor(actor, branch):
    if not actor.has_perm("ledger.edit_roster", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以维护党员名册。"))


def _locked_member(member) -> Member:
    return (
        Member.objects.select_for_update(of=("self",))
        .select_related("branch", "party_group")
        .get(pk=member.pk)
    )


def _field_labels(fields) -> str:
    return "、".join(str(Member._meta.get_field(f).verbose_name) for f in fields)


@transaction.atomic
def add_member(*, actor, branch: OrgUnit, data: dict, reason: str = "") -> Member:
    """Put a member on the branch's roster."""
    _require_editor(actor, branch)
    member = Member(branch=branch)
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.full_clean()
    member.save()
    record_audit(actor=actor, obj=member, action="member_add", comment=reason, unit=branch)
    return member


@transaction.atomic
def edit_member(*, actor, member: Member, data: dict, reason: str = "") -> Member:
    """Change a member's record; the audit names the changed fields, not their values."""
    member = _locked_member(member)
    _require_editor(actor, member.branch)
    if not member.is_active:
        raise RosterError(_("该党员已离开本支部，记录不能再修改。"))
    changed = []
    for field in EDIT_FIELDS:
        if field in data and getattr(member, field) != data[field]:
            setattr(member, field, data[field])
            changed.append(field)
    if not changed:
        return member
    member.full_clean()
    member.save()
    comment = _("修改：%(fields)s") % {"fields": _field_labels(changed)}
    if reason:
        comment += "；" + _("原因：%(reason)s") % {"reason": reason}
    record_audit(actor=actor, obj=member, action="member_edit", comment=comment, unit=member.branch)
    return member


def _clear_leadership(member: Member):
    """A member who leaves a group no longer leads it."""
    PartyGroup.objects.filter(leader=member).update(leader=None, leader_elected_on=None)


@transaction.atomic
def move_member(
    *, actor, member: Member, reason: str, to_group: PartyGroup | None = None, to_branch=None
) -> Member:
    """Move a member to another party group of the branch (`to_group`, None: no group), or to
    another branch (`to_branch`; the member arrives without a group). Needs a reason; the
    destination branch must be one the actor keeps the roster of."""
    if not (reason or "").strip():
        raise RosterError(_("请填写调动原因。"))
    member = _locked_member(member)
    source = member.branch
    _require_editor(actor, source)
    if not member.is_active:
        raise RosterError(_("该党员已离开本支部，不能调动。"))
    if to_branch is not None and to_branch.pk != source.pk:
        if to_branch.unit_type != UnitType.BRANCH:
            raise RosterError(_("只能调往党支部。"))
        if not actor.has_perm("ledger.edit_roster", to_branch):
            raise PermissionDenied(_("目标党支部不在您的管辖范围内，不能调入。"))
        _clear_leadership(member)
        member.branch, member.party_group = to_branch, None
        member.save(update_fields=["branch", "party_group", "updated_at"])
        comment = _("从%(a)s调至%(b)s。原因：%(reason)s") % {
            "a": source.name,
            "b": to_branch.name,
            "reason": reason,
        }
        for unit in (source, to_branch):  # each branch's timeline shows the move
            record_audit(
                actor=actor,
                obj=member,
                action="member_move_branch",
                from_state=source.code,
                to_state=to_branch.code,
                comment=comment,
                unit=unit,
            )
        return member
    if to_group is not None and to_group.branch_id != source.pk:
        raise RosterError(_("所选党小组不属于该党支部。"))
    if to_group is not None and not to_group.is_active:
        raise RosterError(_("所选党小组已撤销。"))
    if member.party_group_id == (to_group.pk if to_group else None):
        raise RosterError(_("该党员已在所选党小组中。"))
    old = member.party_group
    _clear_leadership(member)
    member.party_group = to_group
    member.save(update_fields=["party_group", "updated_at"])
    none = _("未编组")
    record_audit(
        actor=actor,
        obj=member,
        action="member_move_group",
        comment=_("从%(a)s调至%(b)s。原因：%(reason)s")
        % {
            "a": old.name if old else none,
            "b": to_group.name if to_group else none,
            "reason": reason,
        },
        unit=source,
    )
    return member


@transaction.atomic
def deactivate_member(*, actor, member: Member, left_on: datetime.date, reason: str) -> Member:
    """Take a member off the active roster (moved away, died, left the Party …). The record is
    kept; a group they led loses its leader."""
    if not (reason or "").strip():
        raise RosterError(_("请填写停用原因。"))
    member = _locked_member(member)
    _require_editor(actor, member.branch)
    if not member.is_active:
        raise RosterError(_("该党员已停用。"))
    if left_on is None:
        raise ValidationError({"left_on": _("请填写离开日期。")})
    if left_on < member.joined_on or left_on > timezone.localdate():
        raise ValidationError({"left_on": _("离开日期须在入党日期之后、不晚于今天。")})
    _clear_leadership(member)
    member.is_active, member.left_on = False, left_on
    member.save(update_fields=["is_active", "left_on", "updated_at"])
    record_audit(
        actor=actor, obj=member, action="member_deactivate", comment=reason, unit=member.branch
    )
    return member


@transaction.atomic
def create_group(*, actor, branch: OrgUnit, name: str) -> PartyGroup:
    _require_editor(actor, branch)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写党小组名称。")})
    if PartyGroup.objects.filter(branch=branch, name=name).exists():
        raise ValidationError({"name": _("本支部已有同名党小组。")})
    group = PartyGroup(branch=branch, name=name)
    group.full_clean()
    group.save()
    record_audit(actor=actor, obj=group, action="group_create", unit=branch)
    return group


@transaction.atomic
def set_group_leader(
    *, actor, group: PartyGroup, member: Member, elected_on: datetime.date, reason: str = ""
) -> PartyGroup:
    """Record the group's elected leader (党小组长由党小组成员民主选举产生): they must be an
    active member of that very group, elected no earlier than they joined the Party."""
    group = PartyGroup.objects.select_for_update().select_related("branch").get(pk=group.pk)
    _require_editor(actor, group.branch)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not group.is_active:
        raise RosterError(_("该党小组已撤销。"))
    if member.party_group_id != group.pk or not member.is_active:
        raise RosterError(_("党小组长须为本小组的在册党员。"))
    if elected_on is None:
        raise ValidationError({"elected_on": _("请填写选举日期。")})
    if elected_on < member.joined_on or elected_on > timezone.localdate():
        raise ValidationError({"elected_on": _("选举日期须在其入党日期之后、不晚于今天。")})
    previous = group.leader.name if group.leader_id else ""
    group.leader, group.leader_elected_on = member, elected_on
    group.full_clean()
    group.save(update_fields=["leader", "leader_elected_on"])
    comment = _("%(name)s 于 %(day)s 当选党小组长。") % {"name": member.name, "day": elected_on}
    if reason:
        comment += reason
    record_audit(
        actor=actor,
        obj=group,
        action="group_leader",
        from_state=previous[:32],
        to_state=member.name[:32],
        comment=comment,
        unit=group.branch,
    )
    return group
