"""Autovacuum that keeps up with publishing, on PostgreSQL.

Publishing a period rewrites the rank columns of every result in it (`refresh_ranks`), which
are indexed, so every row gets a new version. The rankings and period pages read a page's
ids off covering indexes (index-only scans), which skip the table only for pages that the
visibility map marks all-visible; until the table is vacuumed again they visit the table for
every row, and the 100k-branch pages measured 2.4–3× slower (bench/evaluation.md). With the
default thresholds (20 % of the table dead) autovacuum waits for that on a table that holds
many periods: with 24 monthly periods of 100,000 branches, a publication leaves 4 %. Here it
starts after 1,000 + 2 % of the rows changed or were inserted. Measured on PostgreSQL 15 with
autovacuum on: two 2,400,000-row tables with the same covering index, 100,000 rows rewritten
in each; a minute later the default one was still unvacuumed (an index-only read of those
rows: 199,999 heap fetches), the tuned one vacuumed (0 heap fetches). Nothing to do on
SQLite."""

from django.db import migrations

TABLE = "evaluation_assessment"
SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0.02",
    "autovacuum_vacuum_threshold": "1000",
    "autovacuum_vacuum_insert_scale_factor": "0.02",
    "autovacuum_analyze_scale_factor": "0.02",
}


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        options = ", ".join(f"{k} = {v}" for k, v in SETTINGS.items())
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({options})")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_shared_upload_bases")]

    operations = [migrations.RunPython(tune, reset)]
