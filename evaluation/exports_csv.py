"""A period's results as CSV: the same rows and columns as the xlsx (`exports.Layout`), for
any number of rows (no sheet limit) and at the speed of the query.

UTF-8 with a byte-order mark, so that Excel opens the Chinese names as Chinese; LF line ends
(what COPY writes; Excel reads them). The response streams: nothing holds the whole file in
memory.

- On PostgreSQL the database writes the CSV itself: one `COPY (SELECT …) TO STDOUT WITH CSV`
  (psycopg2's `copy_expert`) pivots the indicator and dimension scores with `FILTER` aggregates
  and formats every value, into a temporary file on disk that is then streamed (the memory
  stays one chunk, whatever the size). Python touches only bytes, which keeps it within 1.5×
  of the bare query (bench/exports.py).
- Elsewhere (SQLite, development and tests) the rows `exports.Layout` yields go through
  Python's csv writer, a chunk at a time.

Both give the same text for the same data: numbers as the database keeps them ("9.50"), an
empty unquoted cell for a missing or empty value (NULL in the query), the labels in the
portal's language."""

import codecs
import csv
import io
import itertools
import tempfile
from collections.abc import Iterator

from django.db import connection

from branches.models import OrgUnit, UnitType

from . import exports
from .models import Assessment, AssessmentScore, DimensionScore

BOM = codecs.BOM_UTF8
#: Bytes per chunk handed to the response.
CHUNK_BYTES = 1 << 16


def _csv_line(cells) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode()


def results_csv(user, period) -> Iterator[bytes]:
    """The export's bytes, the BOM and the header first. The columns and labels are read now
    (in the active language); the rows when the stream is read (inside the response)."""
    layout = exports.Layout(user, period)
    body = _copy(layout) if connection.vendor == "postgresql" else _written(layout)
    return itertools.chain([BOM + _csv_line(layout.header)], body)


def _written(layout) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for cells in layout.rows():
        writer.writerow(["" if c is None else c for c in cells])
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _pivot(model, column: str, value: str, keys: list[int], name: str, ids_sql: str):
    """A subquery (assessment_id, {name}0, {name}1 …): one column per key, the row's value
    for that key (NULL when it has none)."""
    table = model._meta.db_table
    columns = ", ".join(
        f"max({value}) FILTER (WHERE {column} = %s) AS {name}{n}" for n in range(len(keys))
    )
    sql = (
        f"SELECT assessment_id, {columns or 'NULL'} FROM {table}"  # noqa: S608  # nosec B608
        f" WHERE assessment_id IN ({ids_sql}) GROUP BY assessment_id"
    )
    return sql, list(keys)


def copy_sql(layout) -> tuple[str, list]:
    """The SELECT that COPY writes: the columns of `exports._header`, in tree order, for the
    assessments `layout` exports (its queryset compiled in as the row filter)."""
    ids_sql, ids_params = layout.assessments.order_by().values("pk").query.sql_with_params()
    indicator_ids = [i.pk for i in layout.indicators]
    dimension_ids = [d.pk for d in layout.dimensions]
    scores, score_params = _pivot(
        AssessmentScore, "indicator_id", "reviewed_score", indicator_ids, "i", ids_sql
    )
    dims, dim_params = _pivot(DimensionScore, "dimension_id", "score", dimension_ids, "d", ids_sql)
    params: list = []

    def label(column: str, labels: dict) -> str:
        whens = " ".join("WHEN %s THEN %s" for _ in labels)
        for key, text in labels.items():
            params.extend([key, text])
        return f"CASE {column} {whens} END" if labels else "NULL"

    category = label("a.category", layout.categories)
    status = label("a.status", layout.statuses)
    params.extend([layout.vetoed])
    select = ", ".join(
        [
            "u.code",
            "u.name",
            "c.name",
            category,
            "r.name",
            status,
            *[f"s.i{n}" for n in range(len(indicator_ids))],
            *[f"ds.d{n}" for n in range(len(dimension_ids))],
            "a.self_total",
            "a.bonus",
            "a.total",
            "a.max_total",
            "a.rate",
            "CASE WHEN a.is_vetoed THEN %s END",
            "nullif(a.veto_reason, '')",
            "a.star",
            "a.tier",
            "a.rank_category",
            "a.rank_region",
            "a.rank_province",
        ]
    )
    table = Assessment._meta.db_table
    units = OrgUnit._meta.db_table
    regions = Assessment._meta.get_field("region").related_model._meta.db_table
    sql = (
        f"SELECT {select} FROM {table} a"  # noqa: S608  # nosec B608
        f" JOIN {units} u ON u.id = a.unit_id"
        f" LEFT JOIN {units} c ON c.path = substr(u.path, 1, %s) AND c.unit_type IN (%s, %s)"
        f" LEFT JOIN {regions} r ON r.id = a.region_id"
        f" LEFT JOIN ({scores}) s ON s.assessment_id = a.id"
        f" LEFT JOIN ({dims}) ds ON ds.assessment_id = a.id"
        f" WHERE a.id IN ({ids_sql}) ORDER BY u.path, a.id"
    )
    params += [2 * OrgUnit.steplen, UnitType.CITY, UnitType.DIRECT]
    params += [*score_params, *ids_params, *dim_params, *ids_params, *ids_params]
    return sql, params


def _copy(layout) -> Iterator[bytes]:
    sql, params = copy_sql(layout)
    with tempfile.TemporaryFile() as spool:
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2's own cursor: mogrify, copy_expert
            query = raw.mogrify(sql, params).decode()
            raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", spool, CHUNK_BYTES)
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
