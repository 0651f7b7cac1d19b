"""Numbers and instants as people write them in the portal's pages, messages and files."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone


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
