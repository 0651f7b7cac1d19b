"""月评价、季评星、年定级 as a rhythm: which periods a schedule has brought due on a given local
date. Pure (no Django, no clock): the one place the rule lives; `services.schedules` asks it
with `workflow.windows.local_today()` and creates what is due and missing.

The rule, for a schedule starting with `first_month`:

* **a month** M (from `first_month` on) is due from its window's first day: `open_day` of M;
  its window closes on `close_day` of the month after M (a day past a month's end is its last
  day: 31 → 30 April, 29 or 28 February);
* **a quarter** is due from the day after its last day (1 April for Q1), if it is switched on
  and its three months all lie from `first_month` on (a schedule starting in February has no
  first quarter: January was never assessed);
* **a year** is due from 1 January after it, if switched on and its four quarters are.

"Due" says a period should exist now; an aggregate is created only once its sources are
published as well (the service checks that — it is not a matter of dates).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"  # = models.PeriodKind values


@dataclass(frozen=True)
class Rhythm:
    first_month: date  # the first day of the first month assessed
    open_day: int = 1  # the window opens on this day of the month assessed
    close_day: int = 10  # … and closes on this day of the next month
    quarterly: bool = True
    annual: bool = True


@dataclass(frozen=True)
class Due:
    kind: str
    starts_on: date
    ends_on: date
    opens_on: date
    closes_on: date


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _day_of(month: date, day: int) -> date:
    """`day` of `month`, or the month's last day if it is shorter."""
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


def _last_day(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def month_period(month: date, rhythm: Rhythm) -> Due:
    month = month.replace(day=1)
    return Due(
        MONTHLY,
        month,
        _last_day(month),
        _day_of(month, rhythm.open_day),
        _day_of(add_months(month, 1), rhythm.close_day),
    )


def _aggregate(kind: str, starts_on: date, months: int) -> Due:
    ends_on = _last_day(add_months(starts_on, months - 1))
    after = ends_on + timedelta(days=1)  # nothing to fill; the "window" is the day it is due
    return Due(kind, starts_on, ends_on, after, after)


def due(rhythm: Rhythm, today: date) -> list[Due]:
    """Every period of the rhythm due on local date `today`, oldest first, months before the
    aggregates they feed."""
    first = rhythm.first_month.replace(day=1)
    out = []
    month = first
    while (p := month_period(month, rhythm)).opens_on <= today:
        out.append(p)
        month = add_months(month, 1)
    if rhythm.quarterly:
        quarter = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        if quarter < first:
            quarter = add_months(quarter, 3)
        while (q := _aggregate(QUARTERLY, quarter, 3)).ends_on < today:
            out.append(q)
            quarter = add_months(quarter, 3)
    if rhythm.quarterly and rhythm.annual:
        year = first.year if (first.month == 1) else first.year + 1
        while (y := _aggregate(ANNUAL, date(year, 1, 1), 12)).ends_on < today:
            out.append(y)
            year += 1
    kinds = {MONTHLY: 0, QUARTERLY: 1, ANNUAL: 2}
    return sorted(out, key=lambda p: (p.ends_on, kinds[p.kind]))
