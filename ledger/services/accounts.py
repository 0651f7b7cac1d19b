"""The link between a roster member and their portal account (平台账号): the secretary links a
member to an existing account of the branch, or unlinks it; both audited. A linked account
reads its own roster row ("我的党员信息") and, as a group's leader, keeps its group's meetings
(`ledger.rules.member_of`).

"An account of the branch": an active account whose roles, if it holds any, all sit in the
branch's subtree (a plain member holds none); its name, when it has one, is the member's. An
account links to one member at most (a one-to-one field), refused at the field when taken —
without naming the other member, who may be another branch's personal data."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.models import User
from workflow.services import record_audit

from ..models import Member
from .roster import RosterError, _locked_member, _require_editor


def _refuse(message):
    raise ValidationError({"username": message})


def belongs_to_branch(user, branch) -> bool:
    """Every role the account holds lies in the branch's subtree (none: a plain member)."""
    return all(ra.unit.path.startswith(branch.path) for ra in user.role_assignments)


@transaction.atomic
def link_account(*, actor, member: Member, username: str, reason: str = "") -> Member:
    """Link the member to the account with this login name."""
    member = _locked_member(member)
    _require_editor(actor, member.branch)
    if not member.is_active:
        raise RosterError(_("该党员已离开本支部，不能关联账号。"))
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        _refuse(_("没有这个登录名的在用账号，请核对。"))
    if member.user_id == user.pk:
        raise RosterError(_("该党员已关联此账号。"))
    if not belongs_to_branch(user, member.branch):
        _refuse(_("该账号在其他单位任职，不能关联到本支部的党员。"))
    if user.full_name and user.full_name != member.name:
        _refuse(
            _("账号姓名（%(account)s）与党员姓名（%(member)s）不一致，请核对。")
            % {"account": user.full_name, "member": member.name}
        )
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        _refuse(_("该账号已关联其他党员。"))
    previous = member.user.username if member.user_id else ""
    member.user = user
    try:
        with transaction.atomic():
            member.save(update_fields=["user", "updated_at"])
    except IntegrityError:  # linked elsewhere at the same moment
        _refuse(_("该账号已关联其他党员。"))
    record_audit(
        actor=actor,
        obj=member,
        action="member_link_account",
        from_state=previous[:32],
        to_state=user.username[:32],
        comment=reason,
        unit=member.branch,
    )
    return member


@transaction.atomic
def unlink_account(*, actor, member: Member, reason: str = "") -> Member:
    """Remove the member's link to their account (the account itself stays)."""
    member = _locked_member(member)
    _require_editor(actor, member.branch)
    if not member.user_id:
        raise RosterError(_("该党员尚未关联平台账号。"))
    previous = member.user.username
    member.user = None
    member.save(update_fields=["user", "updated_at"])
    record_audit(
        actor=actor,
        obj=member,
        action="member_unlink_account",
        from_state=previous[:32],
        comment=reason,
        unit=member.branch,
    )
    return member
