"""Time windows: "may this be done now, and if not, why" — one concept for every app.

A date in the portal is a local date (settings.TIME_ZONE, Asia/Shanghai). A window open "until
the closing date" is open until the end of that local day, and the end of a day is ONE instant:
the next local midnight, an exclusive bound (`end_of_local_day`). So a window closing on the
10th is open at 23:59:59.999… local on the 10th and closed from 00:00:00 local on the 11th —
which is still the 10th in UTC, where a date comparison in the wrong zone goes wrong.

Each app defines its windows once, as functions of their object returning a `Window`
(`flagship/windows.py`, `evaluation/windows.py`); services, views, the scheduled jobs and
templates ask those, never the dates themselves.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from common.formats import local_datetime


def _zone():
    return timezone.get_default_timezone()


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    """The local date at `now` (default: the current instant)."""
    return timezone.localdate(now or timezone.now(), _zone())


def start_of_local_day(day: datetime.date) -> datetime.datetime:
    """The first instant of a local date: its local midnight."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), _zone())


def local_instant(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """`hour` o'clock local on `day`: a demo's or a job's `now=` for a given day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), _zone())


def end_of_local_day(day: datetime.date) -> datetime.datetime:
    """The moment a local date is over (the exclusive bound): the next local midnight."""
    return start_of_local_day(day + datetime.timedelta(days=1))


@dataclass(frozen=True)
class Window:
    """When something may be done, and why not when it may not.

    Open from `opens_at` (inclusive) until `closes_at` (exclusive); either may be None (no
    bound). `held` is a reason the window is shut whatever the time (e.g. the cycle is in
    another phase). The reasons are the user's messages, told in this order: `held`, then
    `before` (not open yet), then `after` (closed) — except with `late_first`, where a passed
    closing instant is told before `held` (the date is the rule that matters most there).
    `closes_on` is the closing date as people read it (None for a window closing at an instant).
    """

    name: str  # what it is, for code and logs (e.g. "flagship.summary"), not shown to users
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    closes_on: datetime.date | None = None
    before: str = ""
    after: str = ""
    held: str = ""
    late_first: bool = False

    def __post_init__(self):
        # A closed window must say why: an empty reason would read as "open" to a caller.
        if self.opens_at is not None and not self.before:
            raise ValueError(f"window {self.name!r} opens at an instant but has no `before`")
        if self.closes_at is not None and not self.after:
            raise ValueError(f"window {self.name!r} closes at an instant but has no `after`")

    @classmethod
    def on_dates(
        cls,
        name: str,
        opens_on: datetime.date | None = None,
        closes_on: datetime.date | None = None,
        **reasons,
    ) -> "Window":
        """A window open from the start of `opens_on` through the end of `closes_on` (local
        dates, both inclusive)."""
        return cls(
            name,
            opens_at=start_of_local_day(opens_on) if opens_on else None,
            closes_at=end_of_local_day(closes_on) if closes_on else None,
            closes_on=closes_on,
            **reasons,
        )

    def has_opened(self, now: datetime.datetime | None = None) -> bool:
        """Its opening instant has come (whatever `held` says)."""
        return self.opens_at is None or (now or timezone.now()) >= self.opens_at

    def has_closed(self, now: datetime.datetime | None = None) -> bool:
        """Its closing instant has passed (whatever `held` says)."""
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def check(self, now: datetime.datetime | None = None) -> tuple[bool, str]:
        """(True, "") while open; (False, the reason to show) otherwise."""
        now = now or timezone.now()
        if self.late_first and self.has_closed(now):
            return False, self.after
        if self.held:
            return False, self.held
        if not self.has_opened(now):
            return False, self.before
        if self.has_closed(now):
            return False, self.after
        return True, ""

    def require_open(self, error: type[Exception], now: datetime.datetime | None = None):
        """Raise the app's domain `error` with the reason, unless the window is open."""
        is_open, reason = self.check(now)
        if not is_open:
            raise error(reason)

    @property
    def deadline_label(self) -> str:
        """The deadline as a reminder writes it: the closing date ("2027-01-10") for a window
        that closes with a day — not the midnight after it — else the local closing time."""
        if self.closes_on is not None:
            return self.closes_on.isoformat()
        return local_datetime(self.closes_at) if self.closes_at else ""
