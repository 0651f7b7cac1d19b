"""Which meetings fall due in a span of dates — pure date arithmetic, no database.

A template's frequency cuts the calendar into periods (months, quarters, half-years, years;
aligned on 1 January). A period's meetings are *due* in a span when the period ends inside it:
党课 (quarterly) is due in March, not in February; 组织生活会 (yearly) is due in the year's
fourth quarter and in December. What was held is then counted over the whole frequency period,
so the March page reads "本季度应开党课 1 次" and counts a lecture held in January.
This is how the required counts are prorated: a quarter asks three 支委会 and one 党课, a year
twelve and four."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Frequency

#: Months in one period of each frequency (they divide twelve, so periods align on January).
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def month_index(day: datetime.date) -> int:
    """Months since year 0: consecutive across years, so division finds a frequency period."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(index: int) -> datetime.date:
    return month_start(index + 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """A span of local dates, both ends included, and how it is named on the pages."""

    start: datetime.date
    end: datetime.date
    kind: str = "custom"  # month / quarter / year / custom

    @classmethod
    def month(cls, day: datetime.date) -> "Span":
        index = month_index(day)
        return cls(month_start(index), _month_end(index), "month")

    @classmethod
    def quarter(cls, day: datetime.date) -> "Span":
        first = month_index(day) // 3 * 3
        return cls(month_start(first), _month_end(first + 2), "quarter")

    @classmethod
    def year(cls, day: datetime.date) -> "Span":
        return cls(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), "year")

    @classmethod
    def named(cls, kind: str, day: datetime.date) -> "Span":
        return {"month": cls.month, "quarter": cls.quarter, "year": cls.year}[kind](day)

    @property
    def label(self) -> str:
        return str(SPAN_LABELS.get(self.kind, _("本期")))

    def due_buckets(self, frequency: str) -> range:
        """The frequency periods (as `month_index // months`) that end inside the span."""
        months = FREQUENCY_MONTHS[frequency]
        low = month_index(self.start)
        last = month_index(self.end)
        high = last if self.end == _month_end(last) else last - 1  # the last whole month
        first_bucket = -(-(low - months + 1) // months)  # ceil: its last month ≥ low
        return range(first_bucket, (high - months + 1) // months + 1)

    def counting_from(self) -> datetime.date:
        """The first day any due period starts: records are counted from there."""
        starts = [
            month_start(b.start * FREQUENCY_MONTHS[f])
            for f in FREQUENCY_MONTHS
            if (b := self.due_buckets(f))
        ]
        return min([self.start, *starts])


SPAN_LABELS = {"month": _("本月"), "quarter": _("本季度"), "year": _("本年度")}
