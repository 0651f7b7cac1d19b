"""What a backup must hold, read from the database itself: the rows per model and the names of
the stored files those rows reference.

Read through a DB-API cursor, so one function reads pg_dump's exported snapshot (PostgreSQL),
the SQLite copy, and the restored database. Every model is looked up at run time on purpose:
a backup must see all of them, including the ones added after this module was written."""

from django.apps import apps
from django.db import models


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables() -> dict[str, str]:
    """{model label: table} of every table the portal's models own (m2m tables included)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            found.setdefault(meta.label, meta.db_table)
    return dict(sorted(found.items()))


def file_columns() -> list[tuple[str, str, object]]:
    """(table, column, storage) of every FileField / ImageField."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        for field in meta.local_concrete_fields:
            if isinstance(field, models.FileField):
                columns.append((meta.db_table, field.column, field.storage))
    return columns


def row_counts(cursor, labels=None) -> dict[str, int | None]:
    """{label: rows} for every model, or for `labels` (None for a label no model has now)."""
    known = tables()
    counts = {}
    for label in labels if labels is not None else known:
        table = known.get(label)
        if table is None:
            counts[label] = None
            continue
        # table names come from our models' Meta, never from input
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # nosec
        counts[label] = cursor.fetchone()[0]
    return counts


def file_references(cursor) -> dict[str, object]:
    """{stored file name: its storage} of every non-empty file field value."""
    names = {}
    for table, column, storage in file_columns():
        col, tab = _quote(column), _quote(table)
        # identifiers come from our models' Meta, never from input
        sql = f"SELECT DISTINCT {col} FROM {tab} WHERE {col} IS NOT NULL AND {col} <> ''"  # noqa: S608  # nosec
        cursor.execute(sql)
        for (name,) in cursor.fetchall():
            names.setdefault(name, storage)
    return dict(sorted(names.items()))


def read(cursor) -> dict:
    """Row counts and file references, as the manifest records them."""
    return {"row_counts": row_counts(cursor), "file_references": list(file_references(cursor))}
