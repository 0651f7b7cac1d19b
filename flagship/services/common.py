"""What the flagship services share: the domain error, the scheduler's actor, dates as
written in messages (windows and the end of a day: `flagship/windows.py`, `workflow/windows.py`)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.transitions import TransitionError


class FlagshipError(TransitionError):
    """A refusal of the flagship domain; its message is shown to the user as it is."""


class _Scheduler:
    """The actor of date-driven changes (the hourly `close_windows` job): allowed every
    declared transition, recorded in the audit trail as "系统" (no user)."""

    pk = None
    is_active = False
    is_authenticated = False

    def has_perm(self, perm, obj=None):
        return True

    def __str__(self):
        return _("系统")


SCHEDULER = _Scheduler()


def fmt_date(day: datetime.date) -> str:
    # Translators: a date in Django date-format syntax (Y year, n month, j day, F month name).
    return date_format(day, _("Y年n月j日"))
