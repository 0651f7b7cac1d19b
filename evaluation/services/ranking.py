"""Ranks of a period's published results, computed by the database with window functions and
stored on the assessments, so every list reads them as indexed columns and a reviewer's
subtree view still shows the ranks among *all* published results of the period."""

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Rank

from ..models import Assessment, Status

#: A voided result ranks after every valid one, then by total, best first.
ORDER = [F("is_vetoed").asc(), F("total").desc(nulls_last=True)]


def ranked(period_id):
    """Published results of a period with their ranks within category, within region and
    province-wide (`RANK()`: equal totals share a rank)."""
    return (
        Assessment.objects.filter(period_id=period_id, status=Status.PUBLISHED)
        .annotate(
            r_category=Window(Rank(), partition_by=[F("category")], order_by=ORDER),
            r_region=Window(Rank(), partition_by=[F("region_id")], order_by=ORDER),
            r_province=Window(Rank(), order_by=ORDER),
        )
        .order_by()
    )


def refresh_ranks(period_id) -> int:
    """Store the ranks in one statement, `UPDATE … FROM (the window query)`, so the rows never
    travel to Python (PostgreSQL, and SQLite ≥ 3.33). Call inside the transaction that changed
    the published set."""
    select, params = (
        ranked(period_id)
        .values("id", "r_category", "r_region", "r_province")
        .query.sql_with_params()
    )
    table = connection.ops.quote_name(Assessment._meta.db_table)
    with connection.cursor() as cursor:
        # Only quoted identifiers are formatted in; every value is a parameter (reviewed:
        # ruff S608, bandit B608).
        cursor.execute(
            f"UPDATE {table} SET rank_category = r.r_category, rank_region = r.r_region, "  # noqa: S608  # nosec
            f"rank_province = r.r_province FROM ({select}) AS r WHERE {table}.id = r.id",
            params,
        )
        return cursor.rowcount
