"""Months: a bulletin's month is the date of its first day; its bounds are local
(Asia/Shanghai) midnights."""

from datetime import date, datetime, timedelta

from django.utils import timezone


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (first_of_month(today) - timedelta(days=1)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware datetimes in the portal's time zone."""
    tz = timezone.get_default_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    end_month = next_month(month)
    return start, datetime(end_month.year, end_month.month, 1, tzinfo=tz)


def parse_month(value: str) -> date | None:
    """'2025-05' → date(2025, 5, 1); None for anything else."""
    try:
        year, month = (int(p) for p in str(value).split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None
