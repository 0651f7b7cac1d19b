"""What the flagship services share: the domain error, the scheduler's actor, dates as
written in messages (windows and the end of a day: `flagship/windows.py`, `workflow/windows.py`)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.services import SYSTEM
from workflow.transitions import TransitionError


class FlagshipError(TransitionError):
    """A refusal of the flagship domain; its message is shown to the user as it is."""


#: The actor of date-driven changes (the hourly `close_windows` job): the portal's one system
#: actor, allowed every declared transition, recorded in the audit trail as "系统".
SCHEDULER = SYSTEM


def fmt_date(day: datetime.date) -> str:
    # Translators: a date in Django date-format syntax (Y year, n month, j day, F month name).
    return date_format(day, _("Y年n月j日"))
