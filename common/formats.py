"""Numbers and instants as people write them in the portal's pages, messages and files."""

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.timesince import TIME_STRINGS, timesince


def points(value) -> str:
    """A score or a number of points without trailing zeros: 8.50 → "8.5", 10.00 → "10";
    "—" where there is none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"


def half_up(value, places: int = 1) -> Decimal:
    """`value` rounded half away from zero to `places` decimals, as people round on paper
    (85.25 → 85.3; Python's round() and "%.1f" round half to even on the binary float, which
    gives 85.2). Every rate written to a file or a page goes through here, so an Excel cell
    and a Word table never disagree by a tenth."""
    exponent = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def percent(fraction, places: int = 1) -> str:
    """A fraction as a percentage rounded half-up: 0.8525 → "85.3%"; "—" where there is none."""
    if fraction is None or fraction == "":
        return "—"
    return f"{half_up(Decimal(str(fraction)) * 100, places)}%"


def local_datetime(value: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the people of the province read it: in the portal's time zone
    (Asia/Shanghai), not in the UTC the database hands back — 2026-12-11 17:06 UTC is
    "2026-12-12 01:06". Every date-time formatted in Python goes through here (templates'
    `|date` filter converts by itself)."""
    return f"{timezone.localtime(value):{fmt}}"


class _Translated:
    """One of `timesince`'s lazily translated units ("%(num)d 月"), each count translated once."""

    def __init__(self, text):
        self.text = text
        self.done = {}

    def __mod__(self, params):
        num = params["num"]
        if num not in self.done:
            self.done[num] = self.text % params
        return self.done[num]


def time_since() -> Callable[[datetime | None], str]:
    """`{{ x|timesince }}` for the rows of one page: the same text ("2 月，1 周"), each unit and
    count translated once per call of `time_since` instead of once per row (~10 of the
    filter's ~17 µs a row; issue #19). Call it per page, in the language the page is in."""
    strings = {name: _Translated(text) for name, text in TIME_STRINGS.items()}

    def since(value) -> str:
        if not value:
            return ""
        try:
            return timesince(value, time_strings=strings)
        except (ValueError, TypeError):
            return ""

    return since
