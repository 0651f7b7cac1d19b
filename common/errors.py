"""The one base of the portal's domain errors.

Every app's refusal — a transition that may not happen, a roster change the rules forbid, a
bulletin for a month not begun — derives from `DomainError`, so a view catches one class (with
Django's `ValidationError`) and shows it (`workflow.views.attempt`). `TransitionError`
(`workflow.transitions`) is the branch of it that most apps' errors hang from.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal by a service; its message is shown to the user as it is."""


def error_text(exc) -> str:
    """The message a view shows for a refused action: every message of a ValidationError, or
    the domain error's own text."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or _("您没有权限执行此操作。")
