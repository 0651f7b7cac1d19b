"""The assessment periods' time window, defined once (`workflow.windows.Window`): the services,
views, selectors and scheduled jobs ask it, never the period's dates. Self-assessments are filled
from the first local second of `opens_on` through the last of `closes_on`."""

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.windows import Window, local_today


def fill_window(period) -> Window:
    """Filling a self-assessment (save, submit, evidence): between the open and the close date,
    both inclusive; an aggregate period is never filled."""
    return Window.on_dates(
        "evaluation.fill",
        opens_on=period.opens_on,
        closes_on=period.closes_on,
        held=_("汇总周期的结果由各期结果自动汇总，无需填报。") if period.is_aggregate else "",
        before=_("本期考评将于 %(date)s 开始填报，请届时再来。")
        % {"date": date_format(period.opens_on)},
        after=_("本期考评已于 %(date)s 截止填报，不能再保存或提交。如需补报，请联系上级党委。")
        % {"date": date_format(period.closes_on)},
    )


def fill_phase(period, now=None) -> str:
    """The period's badge: "aggregate", "upcoming", "open" or "closed"."""
    if period.is_aggregate:
        return "aggregate"
    window = fill_window(period)
    if not window.has_opened(now):
        return "upcoming"
    return "closed" if window.has_closed(now) else "open"


def fill_not_closed(now=None, *, prefix: str = "") -> Q:
    """The periods whose fill window has not closed at `now`, as a query: the SQL form of
    `not fill_window(period).has_closed(now)` (its closing date is today or later), for lists
    that cannot ask each row. `prefix` reaches the period from another model ("period__")."""
    return Q(**{f"{prefix}closes_on__gte": local_today(now)})


def fill_open(now=None, *, prefix: str = "") -> Q:
    """The periods whose fill window is open at `now`, as a query: the SQL form of
    `fill_window(period).check(now)[0]` (not an aggregate, opened on or before today, closing
    today or later), for lists of what is due."""
    today = local_today(now)
    return fill_not_closed(now, prefix=prefix) & Q(
        **{f"{prefix}is_aggregate": False, f"{prefix}opens_on__lte": today}
    )
