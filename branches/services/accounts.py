"""Accounts managed in the portal: an administrator sets a temporary password, sends an
activation link, deactivates or reactivates a user; a user sets their own password.

Who may manage whom (`refusal`): an administrator (Role.ADMIN at a unit) manages the users
whose roles all lie in their subtree. A user with roles in two subtrees needs an administrator
who covers both, so the city A administrator never takes over an account that also acts in
city B. Another administrator's account needs an administrator strictly above it (peers do
not reset each other). Users without any role, and superusers, are managed by superusers only.
Nobody manages their own account here (they use 修改密码).

Every write is one transaction on the locked user row and leaves an audit entry (who did what
to whom); a password never reaches the audit trail, a log or a message.
"""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from workflow.services import record_audit

from .. import access
from ..models import Role, User

#: Letters and digits that cannot be mistaken for one another when read aloud or retyped.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
GENERATED_LENGTH = 12


class AccountError(Exception):
    """A refused account action; the message says why, in the user's language."""


def refusal(actor, target: User) -> str | None:
    """Why `actor` may not manage `target`'s account, or None when they may."""
    if not getattr(actor, "is_authenticated", False):
        return _("只有系统管理员可以管理账号。")
    if actor.pk == target.pk:
        return _("不能在这里管理自己的账号；修改自己的密码请使用“修改密码”。")
    if actor.is_superuser:
        return None
    admin_units = [ra.unit for ra in access.assignments(actor, Role.ADMIN)]
    if not admin_units:
        return _("只有系统管理员可以管理账号。")
    if target.is_superuser:
        return _("超级管理员的账号只能由超级管理员管理。")
    roles = target.role_assignments
    if not roles:
        return _("该用户未在任何党组织担任角色，只能由超级管理员管理。")
    for ra in roles:
        if ra.role == Role.ADMIN:
            above = any(
                ra.unit.path.startswith(u.path) and ra.unit.path != u.path for u in admin_units
            )
            if not above:
                return _("该用户是同级或上级的系统管理员，您不能管理其账号。")
        elif not any(ra.unit.path.startswith(u.path) for u in admin_units):
            return _("该用户在您管辖范围以外的党组织也担任角色，须由管辖其全部角色的管理员操作。")
    return None


def can_manage(actor, target: User) -> bool:
    return refusal(actor, target) is None


def _require_manager(actor, target: User):
    reason = refusal(actor, target)
    if reason:
        raise PermissionDenied(reason)


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _audit_unit(user: User):
    """The unit the entry is filed under: the target's highest role unit, if any."""
    units = sorted((ra.unit for ra in user.role_assignments), key=lambda u: u.path)
    return units[0] if units else None


def generate_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _i in range(GENERATED_LENGTH))


@transaction.atomic
def set_temporary_password(*, actor, user: User, password: str = "") -> str:
    """Give the user a temporary password (typed by the administrator, or generated when
    blank) that they must change at their first login. The password must pass the portal's
    password validators. Outstanding activation links and the user's sessions stop working
    (both depend on the old password hash). Returns the password, to be shown once."""
    _require_manager(actor, user)
    generated = not password
    if generated:
        password = generate_password()
    validate_password(password, user)
    locked = _locked(user)
    locked.set_password(password)
    locked.must_change_password = True
    locked.save(update_fields=["password", "must_change_password"])
    record_audit(
        actor=actor,
        obj=locked,
        action="account_temporary_password",
        comment=_("系统生成临时密码") if generated else _("管理员设置临时密码"),
        unit=_audit_unit(user),
    )
    user.password, user.must_change_password = locked.password, True
    return password


def activation_path(user: User) -> str:
    """The path of the 设置密码 page for `user`: a one-time token, valid for
    settings.PASSWORD_RESET_TIMEOUT and void once any password is set."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("activate", kwargs={"uidb64": uidb64, "token": token})


@transaction.atomic
def send_activation_link(*, actor, user: User, site_url: str) -> str:
    """E-mail the user a link to choose their own password. Only to an active user with an
    e-mail address. The mail is sent inside the transaction: if the mail server refuses it,
    nothing is recorded and the administrator is told. Returns the address written to."""
    _require_manager(actor, user)
    locked = _locked(user)
    if not locked.email:
        raise AccountError(
            _("该用户没有登记电子邮箱，无法发送激活链接。请改为设置临时密码，或先补充其邮箱。")
        )
    if not locked.is_active:
        raise AccountError(_("该账号已停用，请先启用后再发送激活链接。"))
    record_audit(
        actor=actor,
        obj=locked,
        action="account_activation_link",
        comment=_("激活链接已发送至 %(email)s") % {"email": locked.email},
        unit=_audit_unit(user),
    )
    link = site_url.rstrip("/") + activation_path(locked)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("请设置您在基层党支部品牌建设管理平台的登录密码")
        body = _(
            "%(name)s：\n\n系统管理员为您开通了基层党支部品牌建设管理平台账号（用户名：%(username)s）。"
            "请打开以下链接设置登录密码：\n\n%(link)s\n\n"
            "链接 %(days)s 天内有效，只能使用一次。如非本人操作，请忽略本邮件。"
        ) % {"name": locked, "username": locked.username, "link": link, "days": days}
    send_mail(subject, body, None, [locked.email])
    return locked.email


@transaction.atomic
def set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate (the user can no longer log in; open sessions end at their next request) or
    reactivate an account. Doing what is already done is refused, so two administrators
    acting at once learn that the other was first."""
    _require_manager(actor, user)
    locked = _locked(user)
    if locked.is_active == active:
        raise AccountError(_("该账号已是启用状态。") if active else _("该账号已是停用状态。"))
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    record_audit(
        actor=actor,
        obj=locked,
        action="account_reactivate" if active else "account_deactivate",
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
        unit=_audit_unit(user),
    )
    user.is_active = active
    return locked


@transaction.atomic
def set_own_password(*, user: User, password: str, via: str) -> User:
    """The user chose their own password (`via`: "change" on the 修改密码 page, "activation"
    through an e-mailed link): it replaces any temporary one, so the forced change ends.
    The caller's form has validated it."""
    locked = _locked(user)
    locked.set_password(password)
    locked.must_change_password = False
    locked.save(update_fields=["password", "must_change_password"])
    record_audit(
        actor=locked,
        obj=locked,
        action="account_password_activated" if via == "activation" else "account_password_changed",
        unit=_audit_unit(user),
    )
    user.password, user.must_change_password = locked.password, False
    return user
