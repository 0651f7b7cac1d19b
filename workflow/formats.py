"""Numbers as people write them in the portal's pages, messages and files."""

from decimal import Decimal


def points(value) -> str:
    """A score or a number of points without trailing zeros: 8.50 → "8.5", 10.00 → "10";
    "—" where there is none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"
