"""Quarters as the party-group assessment counts them (seed 004: 党支部于每季度末对各小组完成
工作情况考评打分 … 在下季度初将考评结果进行公布). Pure date arithmetic, no database.

A quarter may be scored (drafts) from the first day of its last month — 季度末 — and its
results are submitted, which publishes them to the groups, from the first day of the next
quarter — 下季度初 — when its meetings are all in the ledger."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

#: How many quarters back a branch may still score (the current one and the three before).
QUARTERS_OPEN = 4


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValueError(self.number)

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.number * 3 - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.following.start - datetime.timedelta(days=1)

    @property
    def following(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @property
    def opens_on(self) -> datetime.date:
        """季度末: the first day of the quarter's last month."""
        return datetime.date(self.year, self.number * 3, 1)

    @property
    def publishes_from(self) -> datetime.date:
        """下季度初: the first day of the next quarter."""
        return self.following.start

    @property
    def label(self) -> str:
        return _("%(year)d年第%(n)d季度") % {"year": self.year, "n": self.number}

    def __str__(self):
        return self.label


def open_quarters(today: datetime.date) -> list[Quarter]:
    """The quarters a branch may score on `today`, newest first: the current one once its last
    month has begun, and the ones before it (QUARTERS_OPEN in all)."""
    current = Quarter.of(today)
    newest = current if today >= current.opens_on else current.previous
    quarters = [newest]
    while len(quarters) < QUARTERS_OPEN:
        quarters.append(quarters[-1].previous)
    return quarters
