#!/usr/bin/env python
"""Bulletin benchmark: the province's monthly bulletin on a small and a large province.

    python bench/bulletin.py [--small 10000] [--large 100000] [--rounds 3] [--reuse] [--strict]

For each size it (re)creates a PostgreSQL database (bench_bulletin_small / _large), migrates
it, seeds it with `seed_demo --branches N` (tree, users, brand applications) and adds what
seed_demo does not make yet: the audit trail of the applications (from their own timestamps)
and a published assessment period of every branch in the bulletin's month. Then, in a separate
process per database, it measures:

* SQL — the same figures computed by hand-written SQL (one statement per figure, as the
  bulletin's selectors group them; the item lists as the files hold them: per committee the
  longest waiting, and the scope's shortlist), best of the rounds;
* bulletin — `bulletins.services.generate` for the province: the same figures through the ORM,
  the XLSX and DOCX files (chart included) written, stored and swapped in; the coverage cache is
  cleared before every run so the aggregation is really done; best of the rounds;
* memory — the tracemalloc peak of one generation (after a warm-up run, so imports and caches
  do not count).

A size passes when bulletin / SQL ≤ 2.0 on the large province; memory passes when the large
province's peak is at most 1.25× the small one's (flat: nothing held grows with the province).
Needs PostgreSQL at postgres://postgres@127.0.0.1:5432 (change with --server or BENCH_POSTGRES).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import (  # noqa: E402
    database_url,
    manage,
    recreate_database,
    run_script,
    seeded_branches,
)

MAX_TIME_RATIO = 2.0
MAX_MEMORY_RATIO = 1.25
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "ERROR",
    "CONN_MAX_AGE": "600",
    "PYTHONWARNINGS": "ignore::UserWarning",
}

# --- extra data (runs inside Django, against one database) ---------------------------------

AUDIT_FROM_TIMESTAMPS = [
    # (action, from, to, timestamp column, condition) — what the services would have recorded
    ("submit", "draft", "in_review", "submitted_at", "a.status <> 'draft'"),
    ("approve", "in_review", "implementing", "approved_at", "TRUE"),
    ("pass_acceptance", "acceptance", "built", "built_at", "TRUE"),
    ("return", "in_review", "returned", "updated_at", "a.status = 'returned'"),
    ("reject", "in_review", "rejected", "updated_at", "a.status = 'rejected'"),
]


def add_bench_data() -> dict:
    """The audit trail of the demo applications and a published assessment period of every
    active branch ending in the bulletin's month. Plain SQL: seconds for 100,000 branches."""
    from datetime import timedelta

    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from brands.models import BrandApplication
    from bulletins.selectors import month_bounds, previous_month
    from evaluation.models import AssessmentPeriod, TableVersion

    ct = ContentType.objects.get_for_model(BrandApplication).pk
    month = previous_month()
    _start, end = month_bounds(month)
    last_day = (end - timedelta(days=1)).date()
    made = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for action, from_state, to_state, column, condition in AUDIT_FROM_TIMESTAMPS:
            cursor.execute(
                "INSERT INTO workflow_auditentry (at, actor_id, content_type_id, object_id,"  # noqa: S608 -- our own constants
                " object_repr, unit_id, action, from_state, to_state, comment)"
                f" SELECT a.{column}, NULL, %s, a.id, a.name, a.unit_id, %s, %s, %s, ''"
                f" FROM brands_brandapplication a WHERE a.{column} IS NOT NULL AND {condition}",
                [ct, action, from_state, to_state],
            )
            made[f"audit {action}"] = cursor.rowcount
        root = connection.cursor()
        root.execute("SELECT id FROM branches_orgunit WHERE depth = 1 ORDER BY path LIMIT 1")
        province_id = root.fetchone()[0]
        version = TableVersion.objects.order_by("pk").first()
        # A small province's demo data has this month's period already (evaluation/demo.py):
        # the bench's own replaces it, so both sizes are measured on the same kind of data.
        AssessmentPeriod.objects.filter(
            table_version=version, scope_id=province_id, kind="monthly", starts_on=month
        ).delete()
        period = AssessmentPeriod.objects.create(
            name=f"{month:%Y年%m月}六好党支部月度评价（基准测试）",
            kind="monthly",
            table_version=version,
            scope_id=province_id,
            starts_on=month,
            ends_on=last_day,
            opens_on=month,
            closes_on=last_day,
        )
        cursor.execute("SELECT setseed(0.5521)")
        cursor.execute(
            "INSERT INTO evaluation_assessment (period_id, unit_id, category, region_id, status,"
            " revision, total, max_total, rate, is_vetoed, veto_reason, star, tier,"
            " rank_province, created_at, updated_at, published_at)"
            " SELECT %s, s.id, s.category, s.region_id, 'published', 0, s.total, 100, s.total,"
            " s.total < 52, '',"
            " CASE WHEN s.total >= 90 THEN 5 WHEN s.total >= 80 THEN 4 WHEN s.total >= 70 THEN 3"
            "      WHEN s.total >= 60 THEN 2 ELSE 1 END,"
            " CASE WHEN s.total >= 90 THEN 1 WHEN s.total >= 70 THEN 2 ELSE 3 END,"
            " ROW_NUMBER() OVER (ORDER BY s.total DESC, s.id), now(), now(), now()"
            " FROM (SELECT u.id, u.category, u.region_id,"
            "       round((50 + 50 * random())::numeric, 2) AS total"
            "       FROM branches_orgunit u WHERE u.unit_type = 'branch' AND u.is_active) s",
            [period.pk],
        )
        made["assessments"] = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_auditentry")
        cursor.execute("ANALYZE evaluation_assessment")
    return made


# --- measuring (runs inside Django, against one database) ----------------------------------

FILED = ("in_review", "returned", "implementing", "acceptance", "built")


def raw_sql_figures(
    prefix: str, month, as_of, overdue_days: int, per_committee: int, shortlist: int
) -> dict:
    """Every figure of the bulletin, by hand-written SQL: coverage per committee and per
    category, the month's activity, returned/overdue per committee and the full item list,
    the assessment highlights. Returns row counts (and forces every row to be fetched)."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from brands.models import BrandApplication
    from bulletins.selectors import month_bounds

    ct = ContentType.objects.get_for_model(BrandApplication).pk
    start, end = month_bounds(month)
    cutoff = as_of - timedelta(days=overdue_days)
    like = f"{prefix}%"
    committee = "(SELECT c.name FROM branches_orgunit c WHERE c.path = SUBSTR(u.path, 1, 8))"
    items = (
        "FROM brands_brandapplication a JOIN branches_orgunit u ON u.id = a.unit_id"
        " LEFT JOIN branches_orgunit l ON l.id = a.current_level_id"
        " CROSS JOIN LATERAL (SELECT CASE WHEN a.status = 'returned' THEN COALESCE("
        "   (SELECT MAX(e.at) FROM workflow_auditentry e WHERE e.content_type_id = %s"
        "     AND e.object_id = a.id AND e.action = 'return'), a.updated_at)"
        "   ELSE a.submitted_at END AS since) w"
        " WHERE u.path LIKE %s AND (a.status = 'returned'"
        "   OR (a.status = 'in_review' AND a.submitted_at <= %s))"
    )
    statements = {
        "committee names": (
            "SELECT path, name FROM branches_orgunit WHERE depth = 2 AND path LIKE %s",
            [like],
        ),
        "target": ("SELECT year, filed_rate, built_rate FROM brands_coveragetarget", []),
        "coverage by committee": (
            "SELECT SUBSTR(u.path, 1, 8) AS k, COUNT(*),"
            " COUNT(*) FILTER (WHERE a.status = ANY(%s)),"
            " COUNT(*) FILTER (WHERE a.status = 'built')"
            " FROM branches_orgunit u LEFT JOIN brands_brandapplication a"
            "   ON a.unit_id = u.id AND a.status <> 'rejected'"
            " WHERE u.unit_type = 'branch' AND u.is_active AND u.path LIKE %s"
            " GROUP BY 1 ORDER BY 1",
            [list(FILED), like],
        ),
        "coverage by category": (
            "SELECT u.category, COUNT(*),"
            " COUNT(*) FILTER (WHERE a.status = ANY(%s)),"
            " COUNT(*) FILTER (WHERE a.status = 'built')"
            " FROM branches_orgunit u LEFT JOIN brands_brandapplication a"
            "   ON a.unit_id = u.id AND a.status <> 'rejected'"
            " WHERE u.unit_type = 'branch' AND u.is_active AND u.path LIKE %s GROUP BY 1",
            [list(FILED), like],
        ),
        "month activity": (
            "SELECT SUBSTR(u.path, 1, 8),"
            " COUNT(*) FILTER (WHERE e.action = 'submit' AND e.from_state = 'draft'),"
            " COUNT(*) FILTER (WHERE e.action = 'submit' AND e.from_state = 'returned'),"
            " COUNT(*) FILTER (WHERE e.action = 'approve' AND e.to_state = 'implementing'),"
            " COUNT(*) FILTER (WHERE e.action = 'return'),"
            " COUNT(*) FILTER (WHERE e.action = 'reject'),"
            " COUNT(*) FILTER (WHERE e.action = 'pass_acceptance')"
            " FROM workflow_auditentry e JOIN branches_orgunit u ON u.id = e.unit_id"
            " WHERE e.content_type_id = %s AND e.at >= %s AND e.at < %s AND u.path LIKE %s"
            " GROUP BY 1",
            [ct, start, end, like],
        ),
        "returned/overdue per committee": (
            "SELECT SUBSTR(u.path, 1, 8),"
            " COUNT(*) FILTER (WHERE a.status = 'returned'),"
            " COUNT(*) FILTER (WHERE a.status = 'in_review'),"
            " COUNT(*) FILTER (WHERE a.status = 'in_review' AND a.submitted_at <= %s),"
            " MIN(a.submitted_at) FILTER (WHERE a.status = 'in_review')"
            " FROM brands_brandapplication a JOIN branches_orgunit u ON u.id = a.unit_id"
            " WHERE a.status IN ('returned', 'in_review') AND u.path LIKE %s GROUP BY 1",
            [cutoff, like],
        ),
        "returned/overdue items": (
            # the Excel list: per committee the longest waiting `per_committee`
            f"SELECT * FROM (SELECT {committee}, u.name, a.name, a.status, l.name,"  # noqa: S608
            " a.submitted_at, w.since, SUBSTR(u.path, 1, 8) AS k, ROW_NUMBER() OVER ("
            "   PARTITION BY SUBSTR(u.path, 1, 8) ORDER BY w.since, u.path, a.id) AS place"
            f" {items}) ranked WHERE place <= %s ORDER BY k, place",
            [ct, like, cutoff, per_committee],
        ),
        "returned/overdue shortlist": (
            # the Word list: the longest waiting of the scope
            f"SELECT {committee}, u.name, a.name, a.status, l.name, a.submitted_at, w.since"  # noqa: S608
            f" {items} ORDER BY w.since, u.path, a.id LIMIT %s",
            [ct, like, cutoff, shortlist],
        ),
        "assessment period": (
            "SELECT p.id FROM evaluation_assessmentperiod p WHERE p.ends_on < %s AND EXISTS"
            " (SELECT 1 FROM evaluation_assessment s JOIN branches_orgunit u ON u.id = s.unit_id"
            "  WHERE s.period_id = p.id AND s.status = 'published' AND u.path LIKE %s)"
            " ORDER BY p.ends_on DESC, p.starts_on DESC, p.id DESC LIMIT 1",
            [end.date(), like],
        ),
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, (query, params) in statements.items():
            cursor.execute(query, params)
            counts[name] = len(cursor.fetchall())
        cursor.execute(statements["assessment period"][0], statements["assessment period"][1])
        period = cursor.fetchone()
        if period:
            ranked = (
                "FROM evaluation_assessment s JOIN branches_orgunit u ON u.id = s.unit_id"
                " WHERE s.period_id = %s AND s.status = 'published' AND u.path LIKE %s"
            )
            cursor.execute(
                "SELECT SUBSTR(u.path, 1, 8), COUNT(*), SUM(s.total), COUNT(s.total),"  # noqa: S608
                " SUM(s.rate), COUNT(s.rate), COUNT(*) FILTER (WHERE s.star = 5),"
                " COUNT(*) FILTER (WHERE s.star = 4), COUNT(*) FILTER (WHERE s.tier = 3),"
                f" COUNT(*) FILTER (WHERE s.is_vetoed) {ranked} GROUP BY 1",
                [period[0], like],
            )
            counts["assessment per committee"] = len(cursor.fetchall())
            cursor.execute(
                f"SELECT s.rank_province, {committee}, u.name, s.category, s.total, s.rate,"  # noqa: S608
                f" s.star {ranked} ORDER BY s.rank_province NULLS LAST, s.total DESC, s.id"
                " LIMIT 10",
                [period[0], like],
            )
            counts["assessment top 10"] = len(cursor.fetchall())
    return counts


def measure(rounds: int, items_per_committee: int | None) -> dict:
    import gc
    import tracemalloc

    import django

    django.setup()
    from django.conf import settings

    if items_per_committee:
        settings.BULLETIN_ITEMS_PER_COMMITTEE = items_per_committee
    from django.core.cache import cache
    from django.db import connection
    from django.utils import timezone

    from branches.models import OrgUnit
    from bulletins import selectors, services
    from bulletins.exports.tables import DOCX_ITEM_LIMIT
    from bulletins.models import Bulletin, BulletinStatus

    province = OrgUnit.objects.filter(depth=1).order_by("path").first()
    month = selectors.previous_month()
    bulletin, _ = Bulletin.objects.get_or_create(month=month, scope=province)

    def generate():
        cache.clear()  # the coverage figures are cached per scope: time the real aggregation
        Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.QUEUED)
        services.generate(bulletin.pk)

    def sql():
        return raw_sql_figures(
            province.path,
            month,
            timezone.now(),
            selectors.overdue_days(),
            selectors.items_per_committee(),
            DOCX_ITEM_LIMIT,
        )

    counts = sql()  # warm-up: PostgreSQL's buffers, Python's imports, matplotlib's font cache
    generate()
    sql_times, bulletin_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        sql()
        sql_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        generate()
        bulletin_times.append(time.perf_counter() - started)

    gc.collect()
    tracemalloc.start()
    generate()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    bulletin.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM branches_orgunit WHERE unit_type = 'branch'")
        branches = cursor.fetchone()[0]
    return {
        "branches": branches,
        "rows": counts,
        "sql_s": min(sql_times),
        "sql_s_rounds": sql_times,
        "bulletin_s": min(bulletin_times),
        "bulletin_s_rounds": bulletin_times,
        "peak_bytes": peak,
        "xlsx_bytes": bulletin.xlsx.size,
        "docx_bytes": bulletin.docx.size,
        "status": bulletin.status,
        "median_ratio": statistics.median(bulletin_times) / statistics.median(sql_times),
    }


# --- the driver ------------------------------------------------------------------------------


def has_bench_data(env: dict) -> bool:
    import psycopg2

    try:
        with psycopg2.connect(env["DATABASE_URL"]) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM evaluation_assessment)")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return False


def prepare(server: str, name: str, branches: int, reuse: bool, env: dict) -> None:
    if reuse and seeded_branches(server, name) == branches and has_bench_data(env):
        manage(env, "migrate", "--noinput")
        print(f"[{name}] reusing: already holds {branches} branches", flush=True)
        return
    recreate_database(server, name)
    manage(env, "migrate", "--noinput")
    print(f"[{name}] migrated; seeding {branches} branches …", flush=True)
    seconds, out = manage(env, "seed_demo", "--branches", str(branches))
    print(f"[{name}] {out.splitlines()[0] if out else ''} ({seconds:.1f}s)", flush=True)
    made = run_self(env, "--add-data")
    print(f"[{name}] bench data: {made}", flush=True)


def run_self(env: dict, *args: str):
    return run_script(__file__, env, *args)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000, help="branches, small province")
    parser.add_argument("--large", type=int, default=100_000, help="branches, large province")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs (best is kept)")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--reuse", action="store_true", help="keep a seeded bench database")
    parser.add_argument(
        "--items-per-committee",
        type=int,
        default=None,
        help="override BULLETIN_ITEMS_PER_COMMITTEE (e.g. 1000000: every item, to see memory)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    parser.add_argument("--add-data", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if args.add_data or args.measure:
        if args.add_data:
            result = add_bench_data()
        else:
            result = measure(args.rounds, args.items_per_committee)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, default=str))
        return 0

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-bulletin-media-") as media:
        for label, branches in (("small", args.small), ("large", args.large)):
            name = f"bench_bulletin_{label}"
            env = {
                **os.environ,
                **ENV,
                "DATABASE_URL": database_url(args.server, name),
                "MEDIA_ROOT": media,
            }
            prepare(args.server, name, branches, args.reuse, env)
            print(f"[{name}] measuring ({args.rounds} rounds) …", flush=True)
            extra = ["--items-per-committee", str(args.items_per_committee)]
            results[label] = run_self(
                env,
                "--measure",
                "--rounds",
                str(args.rounds),
                *(extra if args.items_per_committee else []),
            )

    print()
    print(
        f"{'':8} {'branches':>9} {'listed':>6} {'raw SQL':>9} {'bulletin':>9} {'ratio':>6}"
        f" {'peak memory':>12} {'xlsx':>9} {'docx':>9}"
    )
    for label, r in results.items():
        r["ratio"] = r["bulletin_s"] / r["sql_s"]
        print(
            f"{label:8} {r['branches']:>9,} {r['rows']['returned/overdue items']:>6,}"
            f" {r['sql_s'] * 1000:>7.0f}ms {r['bulletin_s'] * 1000:>7.0f}ms {r['ratio']:>5.2f}×"
            f" {r['peak_bytes'] / 2**20:>9.1f} MiB {r['xlsx_bytes'] / 1024:>6.0f} KiB"
            f" {r['docx_bytes'] / 1024:>6.0f} KiB"
        )
    large, small = results["large"], results["small"]
    memory_ratio = large["peak_bytes"] / small["peak_bytes"]
    time_ok = large["ratio"] <= MAX_TIME_RATIO
    memory_ok = memory_ratio <= MAX_MEMORY_RATIO
    print()
    print(
        f"time:   bulletin / raw SQL on {large['branches']:,} branches = {large['ratio']:.2f}×"
        f" (≤ {MAX_TIME_RATIO}×) {'PASS' if time_ok else 'FAIL'}"
    )
    print(
        f"memory: peak {large['branches']:,} / {small['branches']:,} branches ="
        f" {memory_ratio:.2f}× (≤ {MAX_MEMORY_RATIO}×) {'PASS' if memory_ok else 'FAIL'}"
    )
    out = BASE_DIR / "bench" / "results" / "bulletin.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    return 1 if args.strict and not (time_ok and memory_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
