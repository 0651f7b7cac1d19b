#!/usr/bin/env python
"""Evaluation benchmark: rankings, period detail and the results export on a small and a large
province.

    python bench/evaluation.py [--requests 30] [--rounds 3] [--export-rounds 3] [--strict]

Uses the databases bench/run.py seeded (bench_small: 1,000 branches, bench_large: 100,000; run
`bench/run.py` first). In each it makes, once (reused when complete), a published six-good
monthly period "BENCH 六好 月度" scoped to the province: a PUBLISHED assessment of every active
branch, a score row per indicator (AssessmentScore), a row per dimension (DimensionScore), the
totals, star and tier, then `services.ranking.refresh_ranks` once. The rows are made by
`INSERT … SELECT` in PostgreSQL (seconds for 2,000,000 score rows, where bulk_create takes
minutes) from a deterministic formula of (unit id, indicator id) that follows the rules of
`evaluation.scoring`; a sample of assessments is re-checked with `scoring.compute`.

Then, in a separate process per database (rounds alternate the databases, best of the rounds):

* pages — the rankings (page 1 and the middle page) and the period detail, as the province
  reviewer `province` and the Hangzhou city reviewer `city_hz`, through django.test.Client as in
  bench/run.py: query count and p50/p95. A row passes when the query count is the same and
  p95(large) / p95(small) ≤ 1.5.
* export — `exports.results_workbook(province, period)` with its file read to the end (what
  FileResponse streams), timed, versus hand-written SQL fetching the same figures (per branch
  the indicator scores pivoted, the dimension scores, totals, star, tier and ranks, unit,
  committee, region) with `cursor.fetchall()`; passes when export / SQL ≤ 4.0 on the large
  province (issue #19's decision for XLSX; bench/exports.py measures it with the CSV).
  Memory: tracemalloc peak of one export (separate run, after a warm-up); flat when
  peak(large) ≤ 1.25 × peak(small).

Results: a table on stdout and bench/results/evaluation.json.
"""

import argparse
import gc
import json
import math
import os
import sys
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import (  # noqa: E402
    SERVE_ENV,
    _width,
    compare,
    database_url,
    db_name,
    measure_page,
    merge_rounds,
    render,
    run_script,
    write_results,
)

RESULTS = BASE_DIR / "bench" / "results" / "evaluation.json"
PERIOD_NAME = "BENCH 六好 月度"
TABLE_CODE = "six-good"
#: XLSX / SQL on the large province: XlsxWriter stays (issue #19), at ~4.7 µs a cell.
MAX_TIME_RATIO = 4.0
MAX_MEMORY_RATIO = 1.25
USERS = ["province", "city_hz"]
PAGES = [
    ("rankings p1", lambda c: f"/evaluation/periods/{c.period.pk}/rankings/"),
    (
        "rankings middle page",
        lambda c: f"/evaluation/periods/{c.period.pk}/rankings/?page={c.middle_page}",
    ),
    ("period detail", lambda c: f"/evaluation/periods/{c.period.pk}/"),
]


# --- the data (runs inside Django, against one database) ------------------------------------


# A score per (assessment, indicator), deterministic: h in [0, 1000) from the unit and
# indicator ids. Basic/special: 50–100 % of the maximum; deduction: 1 point off for 1 in 10;
# veto: triggered for 1 unit in 997.
def score_sql(shift: int = 0) -> str:
    """An item's score, drawn from the unit and item ids (`shift` gives another month): a veto
    on about one branch in 997, a deduction on one item in ten, otherwise 50–100 % of the item's
    maximum."""
    h = f"mod(u.id::bigint * 7919 + i.id::bigint * 104729 + {int(shift)}, 1000)"
    return f"""
    CASE i.kind
      WHEN 'veto' THEN CASE WHEN mod(u.id + {int(shift)}, 997) = 0 THEN 1 ELSE 0 END
      WHEN 'deduction' THEN CASE WHEN mod({h}, 10) = 0 THEN LEAST(1, i.max_points) ELSE 0 END
      ELSE round(i.max_points * (0.5 + {h} / 2000.0), 2)
    END
"""


SCORE_SQL = score_sql()


def insert_published_results(period, score: str) -> dict:
    """A published result for every active branch of `period`'s scope, made as
    the portal would score them, in five `INSERT/UPDATE … SELECT` statements: the assessments,
    their item scores (`score`: SQL of `score_sql`), dimension rows (earned − deducted, not
    below 0), then totals, veto, rate, star by the version's thresholds and tier. Returns the row
    counts and the seconds of the first steps. Shared by bench/evaluation.py and
    bench/rhythm.py (its months)."""
    from django.db import connection

    with connection.cursor() as cursor:
        return _insert_results(cursor, period, score)


def _insert_results(cursor, period, score: str) -> dict:
    from branches.selectors import COMMITTEE_PATH_LEN

    t = period.table_version.thresholds
    scope = period.scope.path
    params = {"period": period.pk, "version": period.table_version_id}
    info = {}
    step = time.monotonic()
    cursor.execute(
        "INSERT INTO evaluation_assessment (period_id, unit_id, category, region_id,"
        " committee_id, status, revision, is_vetoed, veto_reason, created_at,"
        " updated_at, published_at)"
        " SELECT %(period)s, u.id, u.category, u.region_id, c.id, 'published', 1,"
        " false, '', now(), now(), now() FROM branches_orgunit u"
        " LEFT JOIN branches_orgunit c ON c.path = left(u.path, %(committee)s)"
        " WHERE u.unit_type = 'branch' AND u.is_active AND u.path LIKE %(scope)s",
        {**params, "scope": scope + "%", "committee": COMMITTEE_PATH_LEN},
    )
    info["assessments"] = cursor.rowcount
    info["assessments_s"] = round(time.monotonic() - step, 1)
    step = time.monotonic()
    # Every six-good indicator is universal (no category variants); were there
    # variants, `i.category IN ('', u.category)` keeps the ones that apply.
    cursor.execute(
        "INSERT INTO evaluation_assessmentscore (assessment_id, indicator_id,"  # noqa: S608 -- our constants
        f" self_score, reviewed_score, evidence, reason) SELECT a.id, i.id, {score},"
        f" {score}, '', '' FROM evaluation_assessment a"
        " JOIN branches_orgunit u ON u.id = a.unit_id"
        " JOIN evaluation_dimension d ON d.version_id = %(version)s"
        " JOIN evaluation_indicator i ON i.dimension_id = d.id"
        " AND (i.category = '' OR i.category = a.category)"
        " WHERE a.period_id = %(period)s",
        params,
    )
    info["score_rows"] = cursor.rowcount
    info["score_rows_s"] = round(time.monotonic() - step, 1)
    step = time.monotonic()
    # Per dimension: earned − deducted, not below 0 (allow_negative is off).
    cursor.execute(
        "INSERT INTO evaluation_dimensionscore (assessment_id, dimension_id, score,"
        " max_points) SELECT s.assessment_id, i.dimension_id,"
        " GREATEST(0, sum(CASE i.kind WHEN 'deduction' THEN -s.reviewed_score"
        "  WHEN 'veto' THEN 0 ELSE s.reviewed_score END)),"
        " sum(CASE WHEN i.kind IN ('basic', 'special') THEN i.max_points ELSE 0 END)"
        " FROM evaluation_assessmentscore s"
        " JOIN evaluation_assessment a ON a.id = s.assessment_id"
        " JOIN evaluation_indicator i ON i.id = s.indicator_id"
        " WHERE a.period_id = %(period)s GROUP BY s.assessment_id, i.dimension_id",
        params,
    )
    info["dimension_rows"] = cursor.rowcount
    # Totals, veto, rate, star (the version's thresholds), tier, as scoring does.
    cursor.execute(
        "WITH g AS (SELECT d.assessment_id, sum(d.score) AS gross,"
        "  sum(d.max_points) AS max_total FROM evaluation_dimensionscore d"
        "  JOIN evaluation_assessment a ON a.id = d.assessment_id"
        "  WHERE a.period_id = %(period)s GROUP BY d.assessment_id),"
        " v AS (SELECT s.assessment_id, bool_or(s.reviewed_score > 0) AS vetoed"
        "  FROM evaluation_assessmentscore s"
        "  JOIN evaluation_assessment a ON a.id = s.assessment_id"
        "  JOIN evaluation_indicator i ON i.id = s.indicator_id"
        "  WHERE a.period_id = %(period)s AND i.kind = 'veto' GROUP BY 1),"
        " r AS (SELECT g.assessment_id, g.gross, g.max_total,"
        "  coalesce(v.vetoed, false) AS vetoed,"
        "  CASE WHEN coalesce(v.vetoed, false) THEN 0 ELSE g.gross END AS total"
        "  FROM g LEFT JOIN v USING (assessment_id)),"
        " s AS (SELECT r.*, CASE WHEN r.max_total = 0 THEN 0"
        "  ELSE round(r.total * 100 / r.max_total, 2) END AS rate FROM r)"
        " UPDATE evaluation_assessment a SET self_total = s.gross,"
        " gross_total = s.gross, total = s.total, max_total = s.max_total,"
        " rate = s.rate, is_vetoed = s.vetoed,"
        " veto_reason = CASE WHEN s.vetoed THEN '否决项目（基准测试）' ELSE '' END,"
        " star = CASE WHEN s.vetoed THEN NULL WHEN s.rate >= %(s5)s THEN 5"
        "  WHEN s.rate >= %(s4)s THEN 4 WHEN s.rate >= %(s3)s THEN 3"
        "  WHEN s.rate >= %(s2)s THEN 2 ELSE 1 END"
        " FROM s WHERE a.id = s.assessment_id",
        {**params, "s2": t.star2, "s3": t.star3, "s4": t.star4, "s5": t.star5},
    )
    cursor.execute(
        "UPDATE evaluation_assessment SET tier = CASE WHEN star IS NULL OR star < 3"
        " THEN 3 WHEN star >= 5 THEN 1 ELSE 2 END WHERE period_id = %(period)s",
        params,
    )
    return info


def bench_period():
    from evaluation.models import AssessmentPeriod

    return (
        AssessmentPeriod.objects.filter(name=PERIOD_NAME)
        .select_related("table_version", "scope")
        .first()
    )


def complete(period) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM branches_orgunit WHERE unit_type = 'branch'"
            " AND is_active),"
            " (SELECT count(*) FROM evaluation_assessment WHERE period_id = %s"
            "  AND status = 'published' AND rank_province IS NOT NULL),"
            " (SELECT count(*) FROM evaluation_indicator i JOIN evaluation_dimension d"
            "  ON d.id = i.dimension_id WHERE d.version_id = %s),"
            " (SELECT count(*) FROM evaluation_assessmentscore s JOIN evaluation_assessment a"
            "  ON a.id = s.assessment_id WHERE a.period_id = %s)",
            [period.pk, period.table_version_id, period.pk],
        )
        branches, ranked, indicators, scores = cursor.fetchone()
    return branches == ranked and scores == branches * indicators


def vacuum():
    """What autovacuum does some time after a bulk write, done now so that every run measures
    the same settled tables: statistics, and the visibility map that lets the list pages read
    their ids off the indexes alone (a fresh or rewritten row needs a heap visit)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("assessment", "assessmentscore", "dimensionscore"):
            cursor.execute(f"VACUUM (ANALYZE) evaluation_{table}")


def make_period() -> dict:
    """The bench period, made once: returns what was done and how long it took."""
    import django

    django.setup()
    from django.db import transaction

    from branches.models import OrgUnit
    from evaluation import scoring
    from evaluation.models import AssessmentPeriod, TableVersion
    from evaluation.selectors.tables import as_items, indicators_for
    from evaluation.services.ranking import refresh_ranks

    period = bench_period()
    if period is not None and complete(period):
        vacuum()  # a migration since may have rewritten the rows
        return {"period_id": period.pk, "reused": True}
    started = time.monotonic()
    info = {"reused": False}
    with transaction.atomic():
        if period is not None:
            period.delete()  # incomplete: start over (cascades to assessments and scores)
        version = (  # the latest published (six-good v2 binds ledger rules, migration 0012)
            TableVersion.objects.filter(table__code=TABLE_CODE, status="published")
            .order_by("-number")
            .first()
        )
        province = OrgUnit.objects.get(depth=1)
        period = AssessmentPeriod.objects.create(
            name=PERIOD_NAME,
            kind="monthly",
            table_version=version,
            scope=province,
            starts_on=date(2020, 1, 1),
            ends_on=date(2020, 1, 31),
            opens_on=date(2020, 2, 1),
            closes_on=date(2020, 2, 10),
        )
        info.update(insert_published_results(period, SCORE_SQL))
        step = time.monotonic()
        info["refresh_ranks_rows"] = refresh_ranks(period.pk)
        info["refresh_ranks_s"] = round(time.monotonic() - step, 2)
    vacuum()
    info["build_s"] = round(time.monotonic() - started, 1)

    # Cross-check a sample against the rules in evaluation.scoring.
    sample = list(period.assessments.order_by("pk")[:: max(1, info["assessments"] // 200)])
    sample += list(period.assessments.filter(is_vetoed=True)[:5])
    mismatches = 0
    for a in sample:
        items = as_items(indicators_for(version.pk, a.category))
        scores = dict(a.scores.values_list("indicator_id", "reviewed_score"))
        result = scoring.compute(
            items, scores, thresholds=version.thresholds, allow_negative=version.allow_negative
        )
        dims = dict(a.dimension_scores.values_list("dimension_id", "score"))
        if (
            result.total != a.total
            or result.gross_total != a.gross_total
            or result.max_total != a.max_total
            or result.rate != a.rate
            or result.vetoed != a.is_vetoed
            or result.star != a.star
            or result.tier != a.tier
            or dict(result.dimensions) != dims
        ):
            mismatches += 1
    info["scoring_checked"] = len(sample)
    info["scoring_mismatches"] = mismatches
    info["period_id"] = period.pk
    return info


# --- measuring (runs inside Django, against one database) ----------------------------------


class Context:
    def __init__(self, user, period):
        self.user, self.period = user, period

    @property
    def middle_page(self):
        """The middle of the pages the list offers (it pages through at most MAX_ROWS)."""
        from common.pagination import MAX_ROWS
        from evaluation.selectors import results
        from evaluation.views.common import PAGE_SIZE

        rows = min(results.rankings(self.user, self.period).count(), MAX_ROWS)
        pages = max(1, math.ceil(rows / PAGE_SIZE))
        return (pages + 1) // 2


def measure_pages(requests: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    period = bench_period()
    rows = []
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        context = Context(user, period)
        for name, url in PAGES:
            rows.append(measure_page(client, name, username, url, context, requests))
    return rows


#: The export's figures by hand: per assessment in the province reviewer's scope (all), ordered
#: by unit path, the indicator scores in column order and the dimension scores (array_agg over
#: one GROUP BY each, hash-joined; a correlated subquery per row was ~1.5x slower), totals,
#: veto, star, tier, ranks, unit, committee and region names.
RAW_SQL = """
WITH s AS (
  SELECT s.assessment_id,
         array_agg(s.reviewed_score ORDER BY d.sort_order, d.id, i.sort_order, i.id) AS scores
    FROM evaluation_assessmentscore s
    JOIN evaluation_assessment a ON a.id = s.assessment_id AND a.period_id = %(period)s
    JOIN evaluation_indicator i ON i.id = s.indicator_id
    JOIN evaluation_dimension d ON d.id = i.dimension_id
   GROUP BY s.assessment_id),
 ds AS (
  SELECT ds.assessment_id, array_agg(ds.score ORDER BY d.sort_order, d.id) AS scores
    FROM evaluation_dimensionscore ds
    JOIN evaluation_assessment a ON a.id = ds.assessment_id AND a.period_id = %(period)s
    JOIN evaluation_dimension d ON d.id = ds.dimension_id
   GROUP BY ds.assessment_id)
SELECT u.code, u.name, c.name, a.category, r.name, a.status, s.scores, ds.scores,
       a.self_total, a.total, a.max_total, a.rate, a.is_vetoed, a.veto_reason, a.star, a.tier,
       a.rank_category, a.rank_region, a.rank_province
  FROM evaluation_assessment a
  JOIN branches_orgunit u ON u.id = a.unit_id
  LEFT JOIN branches_orgunit c ON c.path = substr(u.path, 1, %(prefix)s)
  LEFT JOIN branches_region r ON r.id = a.region_id
  LEFT JOIN s ON s.assessment_id = a.id
  LEFT JOIN ds ON ds.assessment_id = a.id
 WHERE a.period_id = %(period)s
 ORDER BY u.path, a.id
"""


def raw_sql(period) -> int:
    from django.db import connection

    from branches.models import OrgUnit

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, {"prefix": 2 * OrgUnit.steplen, "period": period.pk})
        return len(cursor.fetchall())


def export(user, period) -> int:
    """Generate the workbook and read it to the end, as FileResponse streams it."""
    from evaluation import exports

    size = 0
    with exports.results_workbook(user, period) as out:
        while chunk := out.read(1 << 16):
            size += len(chunk)
    return size


def measure_export(rounds: int) -> dict:
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    period = bench_period()
    user = get_user_model().objects.get(username="province")
    out = {"assessments": period.assessments.count()}
    out["rows_sql"] = raw_sql(period)  # warm-up (buffers, plans)
    out["file_bytes"] = export(user, period)  # warm-up (imports, caches)
    with CaptureQueriesContext(connection) as captured:
        export(user, period)
    out["export_queries"] = len(captured.captured_queries)
    reset_queries()
    sql_times, export_times = [], []
    for _ in range(rounds):  # interleaved, best of
        gc.collect()
        started = time.perf_counter()
        raw_sql(period)
        sql_times.append(time.perf_counter() - started)
        gc.collect()
        started = time.perf_counter()
        export(user, period)
        export_times.append(time.perf_counter() - started)
    out["sql_s"], out["export_s"] = round(min(sql_times), 3), round(min(export_times), 3)
    out["sql_s_rounds"] = [round(t, 3) for t in sql_times]
    out["export_s_rounds"] = [round(t, 3) for t in export_times]
    gc.collect()
    tracemalloc.start()
    export(user, period)
    out["export_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    raw_sql(period)
    out["sql_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    tracemalloc.stop()
    return out


def child(mode: str, out: Path, requests: int, export_rounds: int) -> None:
    import django

    django.setup()
    if mode == "prepare":
        result = make_period()
    elif mode == "pages":
        result = measure_pages(requests)
    else:
        result = measure_export(export_rounds)
    out.write_text(json.dumps(result, ensure_ascii=False, default=str))


# --- the driver --------------------------------------------------------------------------------


def run_child(env: dict, mode: str, args) -> dict | list:
    return run_script(
        __file__,
        env,
        "--child",
        mode,
        "--requests",
        str(args.requests),
        "--export-rounds",
        str(args.export_rounds),
    )


def table(header, lines) -> str:
    lines = [header, *lines]
    widths = [max(_width(str(line[i])) for line in lines) for i in range(len(header))]
    text = [
        " | ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(line, widths, strict=True))
        for line in lines
    ]
    text.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(t.rstrip() for t in text)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--export-rounds", type=int, default=3)
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--strict", action="store_true")
    parser.add_argument(
        "--only", choices=["pages", "export"], help="measure the pages or the export alone"
    )
    parser.add_argument("--child", metavar="MODE", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if args.child:
        child(args.child, Path(args.out), args.requests, args.export_rounds)
        return 0

    labels = ("small", "large")
    envs = {
        label: {
            **os.environ,
            **SERVE_ENV,
            "DATABASE_URL": database_url(args.server, db_name(label)),
        }
        for label in labels
    }
    data = {}
    for label in labels:
        print(f"[bench_{label}] bench period …", flush=True)
        data[label] = run_child(envs[label], "prepare", args)
        print(f"[bench_{label}] {data[label]}", flush=True)

    rows = bench_pages(envs, args) if args.only != "export" else []
    export_result = bench_export(envs, args) if args.only != "pages" else None
    if rows:
        print()
        print(render(rows))
    failed = [r for r in rows if not r["passed"]]
    if rows:
        print(
            f"\npages: {len(rows) - len(failed)}/{len(rows)} rows pass"
            " (same queries, p95 ratio ≤ 1.5)"
        )
    if export_result:
        print_export(export_result)
    write_results(
        RESULTS,
        {
            "requests": args.requests,
            "rounds": args.rounds,
            "export_rounds": args.export_rounds,
            "data": data,
            "rows": rows,
            "export": export_result,
        },
    )
    ok = not failed and (
        export_result is None or (export_result["time_passed"] and export_result["memory_passed"])
    )
    return 1 if args.strict and not ok else 0


def bench_pages(envs, args) -> list[dict]:
    rounds = {label: [] for label in envs}
    for number in range(1, args.rounds + 1):
        for label in envs:
            print(f"[round {number}/{args.rounds}] bench_{label}: pages …", flush=True)
            rounds[label].append(run_child(envs[label], "pages", args))
    return compare(*(merge_rounds(rounds[label]) for label in envs))


def bench_export(envs, args) -> dict:
    exported = {}
    for label in envs:
        print(f"[bench_{label}] export …", flush=True)
        exported[label] = run_child(envs[label], "export", args)
    small, large = exported["small"], exported["large"]
    time_ratio = round(large["export_s"] / large["sql_s"], 2) if large["sql_s"] else None
    memory_ratio = (
        round(large["export_peak_mb"] / small["export_peak_mb"], 2)
        if small["export_peak_mb"]
        else None
    )
    return {
        "small": small,
        "large": large,
        "time_ratio_large": time_ratio,
        "time_ratio_small": round(small["export_s"] / small["sql_s"], 2)
        if small["sql_s"]
        else None,
        "memory_ratio": memory_ratio,
        "same_queries": small["export_queries"] == large["export_queries"],
        "time_passed": time_ratio is not None and time_ratio <= MAX_TIME_RATIO,
        "memory_passed": memory_ratio is not None and memory_ratio <= MAX_MEMORY_RATIO,
    }


def print_export(result: dict) -> None:
    small, large = result["small"], result["large"]
    print()
    print(
        table(
            ["export", "rows", "queries", "SQL", "xlsx", "xlsx / SQL", "peak xlsx", "peak SQL"]
            + ["file"],
            [
                [
                    f"bench_{label}",
                    e["assessments"],
                    e["export_queries"],
                    f"{e['sql_s']} s",
                    f"{e['export_s']} s",
                    f"{round(e['export_s'] / e['sql_s'], 2)}×",
                    f"{e['export_peak_mb']} MB",
                    f"{e['sql_peak_mb']} MB",
                    f"{round(e['file_bytes'] / 2**20, 1)} MB",
                ]
                for label, e in (("small", small), ("large", large))
            ],
        )
    )
    print(
        f"\nexport 100k: xlsx {large['export_s']} s vs SQL {large['sql_s']} s = "
        f"{result['time_ratio_large']}× (target ≤ {MAX_TIME_RATIO}) → "
        f"{'PASS' if result['time_passed'] else 'FAIL'}"
        f"\nexport memory: peak {small['export_peak_mb']} MB (1k) vs {large['export_peak_mb']} MB "
        f"(100k) = {result['memory_ratio']}× (flat ≤ {MAX_MEMORY_RATIO}) → "
        f"{'PASS' if result['memory_passed'] else 'FAIL'}; export queries "
        f"{small['export_queries']} / {large['export_queries']}"
    )


if __name__ == "__main__":
    sys.exit(main())
