"""When a month's ledger closes. The one place the lock rule lives.

The records of a month stay open through day `LEDGER_LOCK_AFTER_DAYS` (default 10) of the
next month, local time (Asia/Shanghai): January's records lock at 00:00:00 on 11 February, so
a secretary has the whole of 10 February to finish them. A locked record, or a new one dated
in a locked month, may still be written as a correction (补录/更正) with a reason, audited.
Nothing is stored: the lock follows from the meeting's date and the clock."""

import datetime

from django.conf import settings
from django.utils import timezone

from workflow.windows import end_of_local_day

from .spans import month_index, month_start

DEFAULT_LOCK_AFTER_DAYS = 10


def lock_after_days() -> int:
    return getattr(settings, "LEDGER_LOCK_AFTER_DAYS", DEFAULT_LOCK_AFTER_DAYS)


def locks_at(held_at: datetime.datetime) -> datetime.datetime:
    """The instant the month of `held_at` (a local month) closes: the end of the local day
    `lock_after_days()` into the next month."""
    first_next = month_start(month_index(timezone.localdate(held_at)) + 1)
    return end_of_local_day(first_next + datetime.timedelta(days=lock_after_days() - 1))


def is_locked(held_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """The month of a meeting held at `held_at` is closed at `now` (default: the clock)."""
    return (now or timezone.now()) >= locks_at(held_at)
