"""Half years as the pioneer-post reviews count them ("2026H1": January–June)."""

import datetime
import re

HALF = re.compile(r"^(\d{4})H([12])$")


def bounds(half: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a half year; ValueError for anything but "YYYYH1"/"YYYYH2"."""
    match = HALF.match(half or "")
    if not match:
        raise ValueError(half)
    year, which = int(match[1]), int(match[2])
    if which == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def following(half: str) -> str:
    year, which = int(half[:4]), int(half[-1])
    return f"{year}H2" if which == 1 else f"{year + 1}H1"


def reviewable(today: datetime.date) -> list[str]:
    """The halves a review may be recorded for on `today`: the current one (a review at the end
    of a term may come early) and the one just ended (reviews run into the next month)."""
    current = f"{today.year}H{1 if today.month <= 6 else 2}"
    previous = f"{today.year - 1}H2" if current.endswith("1") else f"{today.year}H1"
    return [current, previous]
