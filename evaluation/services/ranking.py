"""Ranks of a period's published results, computed by the database with window functions and
stored on the assessments, so every list reads them as indexed columns and a reviewer's
subtree view still shows the ranks among *all* published results of the period.

At a million results one `UPDATE … FROM (the window query)` holds a million row locks for
minutes. So `refresh_ranks` computes the ranks once into a temporary table (a plain read: no
lock on any assessment) and writes them back in batches of BATCH rows by id, each batch its own
short transaction that touches only the rows whose ranks changed; a reviewer's write to a
result waits at most for one batch (well under a second). Call it *after* the transaction that
changed the published set has committed (`periods.publish`, `periods.aggregate`).

Two refreshes may overlap (two committees publish at once). Each batch first locks the period
row (FOR NO KEY UPDATE: publishing locks it FOR UPDATE, a reviewer's write does not lock it at
all) and compares the period's *stamp* — its latest publication and aggregation — with the one
its ranks were computed from; when the published set has changed since, the refresh starts over
from the new set. So no batch ever writes ranks older than what is committed."""

import logging

from django.db import connection, transaction
from django.db.models import F, Max, Window
from django.db.models.functions import Rank

from ..models import Assessment, AssessmentPeriod, PeriodPublication, Status

log = logging.getLogger(__name__)

#: A voided result ranks after every valid one, then by total, best first.
ORDER = [F("is_vetoed").asc(), F("total").desc(nulls_last=True)]
#: Results written per transaction (measured on PostgreSQL here: ~5,000 rows in ~0.1 s).
BATCH = 5000
#: The per-connection temporary table the ranks are computed into.
TEMP = "evaluation_ranks_refresh"
RANKS = ("rank_category", "rank_region", "rank_province")


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


def _stamp(period_id, *, lock: bool = False):
    """What changes whenever the period's published set does: its latest publication and
    aggregation (every publish adds a PeriodPublication; aggregating sets aggregated_at)."""
    periods = AssessmentPeriod.objects.filter(pk=period_id)
    if lock:
        periods = periods.select_for_update(no_key=True)
    aggregated = periods.values_list("aggregated_at", flat=True).first()
    latest = PeriodPublication.objects.filter(period_id=period_id).aggregate(m=Max("pk"))["m"]
    return latest, aggregated


def _compute(cursor, period_id) -> None:
    select, params = (
        ranked(period_id)
        .values("id", "r_category", "r_region", "r_province")
        .query.sql_with_params()
    )
    cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
    # Only our identifiers are formatted in; every value is a parameter (ruff S608, bandit B608).
    cursor.execute(f"CREATE TEMPORARY TABLE {TEMP} AS {select}", params)  # nosec
    cursor.execute(f"CREATE INDEX {TEMP}_id ON {TEMP} (id)")
    cursor.execute(f"ANALYZE {TEMP}")  # a batch then joins by index, not by scanning both


def _batch_end(cursor, after: int, size: int) -> int | None:
    """The id that closes the batch of `size` ids following `after` (None: no ids left)."""
    cursor.execute(
        f"SELECT max(id) FROM (SELECT id FROM {TEMP} WHERE id > %s ORDER BY id LIMIT %s) b",  # noqa: S608  # nosec
        [after, size],
    )
    return cursor.fetchone()[0]


def _write(cursor, after: int, upto: int) -> int:
    table = connection.ops.quote_name(Assessment._meta.db_table)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"{table}.{c} {differs} r.r_{c[5:]}" for c in RANKS)
    cursor.execute(
        f"UPDATE {table} SET rank_category = r.r_category, rank_region = r.r_region, "  # noqa: S608  # nosec
        f"rank_province = r.r_province FROM {TEMP} r WHERE {table}.id = r.id "
        f"AND r.id > %s AND r.id <= %s AND {table}.id > %s AND {table}.id <= %s "
        f"AND ({changed})",
        [after, upto, after, upto],
    )
    return cursor.rowcount


def refresh_ranks(period_id, *, batch_size: int = BATCH, between_batches=None) -> int:
    """Store the ranks of the period's published results, in batches (module docstring);
    returns how many rows changed. `between_batches()` is called after each committed batch
    (tests pause there)."""
    written = 0
    with connection.cursor() as cursor:
        try:
            while True:  # once, or again when the published set changed under us
                stamp = _stamp(period_id)
                _compute(cursor, period_id)
                after, restarted = 0, False
                while (upto := _batch_end(cursor, after, batch_size)) is not None:
                    with transaction.atomic():
                        if _stamp(period_id, lock=True) != stamp:
                            restarted = True
                            break
                        written += _write(cursor, after, upto)
                    after = upto
                    if between_batches:
                        between_batches()
                if not restarted:
                    return written
                log.info("ranks of period %s: published set changed, starting over", period_id)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
