"""Numbers and instants as people write them in the portal's pages, messages and files."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone


def points(value) -> str:
    """A score or a number of points without trailing zeros: 8.50 → "8.5", 10.00 → "10";
    "—" where there is none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"


def local_datetime(value: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the people of the province read it: in the portal's time zone
    (Asia/Shanghai), not in the UTC the database hands back — 2026-12-11 17:06 UTC is
    "2026-12-12 01:06". Every date-time formatted in Python goes through here (templates'
    `|date` filter converts by itself)."""
    return f"{timezone.localtime(value):{fmt}}"
