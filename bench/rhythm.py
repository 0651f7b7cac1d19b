#!/usr/bin/env python
"""Rhythm benchmark (issue #18, Scale): the schedule's two bulk writes on a small and a large
province, each against the raw SQL doing the same inserts (target ≤ 2×).

    BENCH_DB_PREFIX=h18b python bench/rhythm.py [--rounds 3] [--reuse] [--only period|aggregate]

Databases `<prefix>_small` / `<prefix>_large` (bench/run.py's, seeded by `seed_demo --branches
N`; this script does not seed). In each, once (kept with `--reuse` when complete), three
published months of the province's six-good table, January–March 2020 ("BENCH 节奏 …": an
assessment per branch, 20 score rows and 6 dimension rows each, by `INSERT … SELECT`, the
figures made as bench/evaluation.py makes its period, shifted per month). Then, in a separate
process per database, `--rounds` interleaved rounds, each side inside a transaction that is
rolled back, best time kept:

1. **period** — beat creating a month's period (`services.schedules.run_schedule` of a new
   schedule on its opening day: the due rule, the period, an empty assessment per branch with
   its committee, the audit) vs the period row and one `INSERT … SELECT` of the assessments;
2. **aggregate** — the quarter Q1 2020 over the three months as beat makes it
   (`periods.insert_period` of the aggregate, linked to its sources, then
   `periods.compute_aggregate`: the averages, star, tier, dimension and item rows) vs three
   hand-written statements (`INSERT … SELECT … GROUP BY`: assessments, dimension rows, item
   rows) writing the same averages.

Prints time, queries and ratio per size, the load average, and writes bench/results/rhythm.json.
"""

import argparse
import gc
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.evaluation import insert_published_results, score_sql, table  # noqa: E402
from bench.run import SERVE_ENV, database_url, db_name, run_script, write_results  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results" / "rhythm.json"
MAX_RATIO = 2.0
SIZES = ("small", "large")
TABLE_CODE = "six-good"
MONTH_NAME = "BENCH 节奏 2020-%02d"
MONTHS = (date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1))
QUARTER = (date(2020, 1, 1), date(2020, 3, 31))
NEW_MONTH = date(2031, 1, 1)  # the month beat creates (no period of the table there)


# --- the data (runs inside Django, against one database) ------------------------------------


def _version():
    from evaluation.models import TableVersion

    return (
        TableVersion.objects.filter(table__code=TABLE_CODE, status="published")
        .order_by("-number")
        .first()
    )


def _months_complete(version) -> list | None:
    from django.db.models import Count

    from branches.models import OrgUnit
    from evaluation.models import AssessmentPeriod

    branches = OrgUnit.objects.filter(unit_type="branch", is_active=True).count()
    periods = list(
        AssessmentPeriod.objects.filter(
            name__in=[MONTH_NAME % m.month for m in MONTHS], table_version=version
        )
        .annotate(n=Count("assessments"))
        .order_by("starts_on")
    )
    if len(periods) == 3 and all(p.n == branches for p in periods):
        return periods
    return None


def make_months(reuse: bool) -> dict:
    """The three published months, made once (returns what was done and how long it took)."""
    from django.db import connection, transaction

    from branches.models import OrgUnit
    from evaluation.models import AssessmentPeriod
    from evaluation.rhythm import add_months

    version = _version()
    if reuse and _months_complete(version):
        return {"reused": True}
    started = time.monotonic()
    province = OrgUnit.objects.get(depth=1)
    with transaction.atomic():
        AssessmentPeriod.objects.filter(name__startswith="BENCH 节奏").delete()
        for shift, month in enumerate(MONTHS):
            period = AssessmentPeriod.objects.create(
                name=MONTH_NAME % month.month,
                kind="monthly",
                table_version=version,
                scope=province,
                starts_on=month,
                ends_on=add_months(month, 1) - timedelta(days=1),
                opens_on=month,
                closes_on=date(2020, month.month + 1, 10),
            )
            insert_published_results(period, score_sql(shift * 37))
    with connection.cursor() as cursor:
        for name in ("assessment", "assessmentscore", "dimensionscore"):
            cursor.execute(f"VACUUM (ANALYZE) evaluation_{name}")
    return {"reused": False, "build_s": round(time.monotonic() - started, 1)}


# --- measuring (runs inside Django, against one database) ----------------------------------


class Rollback(Exception):
    pass


def timed(call) -> tuple[float, int, object]:
    """(seconds, queries, result) of `call()` inside a transaction that is rolled back."""
    from django.db import connection, transaction

    gc.collect()
    out = {}
    queries = []

    def count(execute, sql, params, many, context):  # cheaper than CaptureQueriesContext
        queries.append(1)
        return execute(sql, params, many, context)

    try:
        with transaction.atomic():
            setup = call()  # returns the timed function, having done its untimed setup
            with connection.execute_wrapper(count):
                start = time.perf_counter()
                out["result"] = setup()
                out["s"] = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return out["s"], len(queries), out["result"]


def period_product():
    from branches.models import OrgUnit
    from evaluation.models import Schedule, ScoringTable
    from evaluation.services import schedules

    schedule = Schedule.objects.create(
        table=ScoringTable.objects.get(code=TABLE_CODE),
        scope=OrgUnit.objects.get(depth=1),
        first_month=NEW_MONTH,
        quarterly=False,
        annual=False,
    )

    def run():
        (period,) = schedules.run_schedule(schedule.pk, NEW_MONTH)
        return period.assessments.count()

    return run


PERIOD_SQL = """
    INSERT INTO evaluation_assessment (period_id, unit_id, category, region_id, committee_id,
        status, revision, is_vetoed, veto_reason, created_at, updated_at)
    SELECT %s, u.id, u.category, u.region_id, c.id, 'draft', 0, false, '', now(), now()
    FROM branches_orgunit u LEFT JOIN branches_orgunit c ON c.path = left(u.path, %s)
    WHERE u.path LIKE %s AND u.unit_type = 'branch' AND u.is_active
"""


def period_raw():
    from django.db import connection

    from branches.models import OrgUnit
    from branches.selectors import COMMITTEE_PATH_LEN
    from evaluation.models import AssessmentPeriod

    province = OrgUnit.objects.get(depth=1)
    version = _version()

    def run():
        period = AssessmentPeriod.objects.create(
            name="raw",
            kind="monthly",
            table_version=version,
            scope=province,
            starts_on=NEW_MONTH,
            ends_on=date(2031, 1, 31),
            opens_on=NEW_MONTH,
            closes_on=date(2031, 2, 10),
        )
        with connection.cursor() as cursor:
            cursor.execute(PERIOD_SQL, [period.pk, COMMITTEE_PATH_LEN, province.path + "%"])
            return cursor.rowcount

    return run


def _quarter(version, province):
    from evaluation.models import AssessmentPeriod

    return AssessmentPeriod(
        name="BENCH 节奏 2020Q1",
        kind="quarterly",
        table_version=version,
        scope=province,
        starts_on=QUARTER[0],
        ends_on=QUARTER[1],
        opens_on=date(2020, 4, 1),
        closes_on=date(2020, 4, 1),
        is_aggregate=True,
    )


def aggregate_product():
    from branches.models import OrgUnit
    from evaluation.services import periods

    province = OrgUnit.objects.get(depth=1)
    version = _version()

    def run():
        period = periods.insert_period(_quarter(version, province))
        return periods.compute_aggregate(period)

    return run


# The quarter's averages by hand: per unit the sums over the published months / 3 (a month
# without a result counts 0), star by rate (the version's thresholds), tier; then the dimension
# and item rows, averaged the same way. The step rule (max_star_rise) is off for six-good.
AGGREGATE_SQL = (
    """
    INSERT INTO evaluation_assessment (period_id, unit_id, category, region_id, committee_id,
        status, revision, is_vetoed, veto_reason, bonus, gross_total, total, max_total, rate,
        star, star_by_rate, tier, source_count, published_at, created_at, updated_at)
    WITH t AS (
        SELECT a.unit_id, round(sum(a.total) / %(n)s, 2) AS gross, bool_or(a.is_vetoed) AS vetoed,
            round(sum(a.bonus) / %(n)s, 2) AS bonus, max(a.max_total) AS max_total, count(*) AS k
        FROM evaluation_assessment a
        WHERE a.period_id = ANY(%(sources)s) AND a.status = 'published' GROUP BY a.unit_id
    ), r AS (
        SELECT t.*, CASE WHEN t.vetoed THEN 0 ELSE t.gross END AS total,
            CASE WHEN t.vetoed OR t.max_total = 0 THEN 0
            ELSE round(t.gross * 100 / t.max_total, 2) END AS rate FROM t
    ), s AS (
        SELECT r.*, CASE WHEN r.vetoed THEN NULL WHEN r.rate >= %(s5)s THEN 5
            WHEN r.rate >= %(s4)s THEN 4 WHEN r.rate >= %(s3)s THEN 3
            WHEN r.rate >= %(s2)s THEN 2 ELSE 1 END AS star FROM r
    )
    SELECT %(period)s, u.id, u.category, u.region_id, c.id, 'published', 0, s.vetoed,
        CASE WHEN s.vetoed THEN '来源周期中有否决项目' ELSE '' END, s.bonus, s.gross, s.total,
        s.max_total, s.rate, s.star, s.star,
        CASE WHEN s.star IS NULL OR s.star < 3 THEN 3 WHEN s.star >= 5 THEN 1 ELSE 2 END,
        s.k, now(), now(), now()
    FROM s JOIN branches_orgunit u ON u.id = s.unit_id
    LEFT JOIN branches_orgunit c ON c.path = left(u.path, %(committee)s)
    """,
    """
    INSERT INTO evaluation_dimensionscore (assessment_id, dimension_id, score, max_points)
    SELECT q.id, d.dimension_id, round(sum(d.score) / %(n)s, 2), max(d.max_points)
    FROM evaluation_dimensionscore d
    JOIN evaluation_assessment a ON a.id = d.assessment_id
    JOIN evaluation_assessment q ON q.period_id = %(period)s AND q.unit_id = a.unit_id
    WHERE a.period_id = ANY(%(sources)s) AND a.status = 'published'
    GROUP BY q.id, d.dimension_id
    """,
    """
    INSERT INTO evaluation_assessmentscore (assessment_id, indicator_id, reviewed_score,
        self_score, evidence, reason)
    SELECT q.id, s.indicator_id, round(coalesce(sum(s.reviewed_score), 0) / %(n)s, 2),
        round(coalesce(sum(s.self_score), 0) / %(n)s, 2), '', ''
    FROM evaluation_assessmentscore s
    JOIN evaluation_assessment a ON a.id = s.assessment_id
    JOIN evaluation_assessment q ON q.period_id = %(period)s AND q.unit_id = a.unit_id
    WHERE a.period_id = ANY(%(sources)s) AND a.status = 'published'
    GROUP BY q.id, s.indicator_id
    """,
)


def aggregate_raw():
    from django.db import connection

    from branches.models import OrgUnit
    from branches.selectors import COMMITTEE_PATH_LEN

    province = OrgUnit.objects.get(depth=1)
    version = _version()
    sources = [p.pk for p in _months_complete(version)]
    t = version.thresholds

    def run():
        period = _quarter(version, province)
        period.save()
        params = {
            "period": period.pk,
            "sources": sources,
            "n": len(MONTHS),
            "committee": COMMITTEE_PATH_LEN,
            **{f"s{k}": getattr(t, f"star{k}") for k in (2, 3, 4, 5)},
        }
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE_SQL[0], params)
            rows = cursor.rowcount
            for sql in AGGREGATE_SQL[1:]:
                cursor.execute(sql, params)
        return rows

    return run


def check_aggregate() -> dict:
    """Both sides write the same figures: the two quarters' assessments, dimension rows and
    item rows compared (inside a transaction that is rolled back)."""
    from django.db import transaction

    from evaluation.models import AssessmentPeriod

    def figures():
        period = AssessmentPeriod.objects.get(name="BENCH 节奏 2020Q1")
        rows = (
            set(
                period.assessments.values_list(
                    "unit_id", "total", "rate", "star", "tier", "is_vetoed", "source_count"
                )
            ),
            set(
                period.assessments.values_list(
                    "unit_id",
                    "dimension_scores__dimension_id",
                    "dimension_scores__score",
                    "dimension_scores__max_points",
                )
            ),
            set(
                period.assessments.values_list(
                    "unit_id",
                    "scores__indicator_id",
                    "scores__reviewed_score",
                    "scores__self_score",
                )
            ),
        )
        return rows

    def side(setup):
        try:
            with transaction.atomic():
                setup()()
                out = figures()
                raise Rollback
        except Rollback:
            return out

    product, raw = side(aggregate_product), side(aggregate_raw)
    return {
        name: {"rows": len(a), "differing": len(a ^ b)}
        for name, a, b in zip(("assessments", "dimensions", "items"), product, raw, strict=True)
    }


def measure(rounds: int, only: str | None) -> dict:
    from branches.models import OrgUnit

    result = {"branches": OrgUnit.objects.filter(unit_type="branch", is_active=True).count()}
    pairs = {
        "period": (period_product, period_raw),
        "aggregate": (aggregate_product, aggregate_raw),
    }
    for name, (product, raw) in pairs.items():
        if only and only != name:
            continue
        sides = {"product": [], "raw": []}
        queries = {}
        for _round in range(rounds):
            for side, setup in (("raw", raw), ("product", product)):
                seconds, count, rows = timed(setup)
                sides[side].append(seconds)
                queries[side] = count
                result.setdefault(name, {})[f"{side}_rows"] = rows
        result[name].update(
            {
                "product_s": min(sides["product"]),
                "raw_s": min(sides["raw"]),
                "product_rounds": sides["product"],
                "raw_rounds": sides["raw"],
                "product_queries": queries["product"],
                "raw_queries": queries["raw"],
            }
        )
    if only in (None, "aggregate"):
        result["aggregate_check"] = check_aggregate()
    return result


def child(mode: str, out: Path, rounds: int, only: str | None, reuse: bool) -> None:
    import django

    django.setup()
    payload = make_months(reuse) if mode == "prepare" else measure(rounds, only)
    out.write_text(json.dumps(payload, ensure_ascii=False, default=str))


# --- the driver --------------------------------------------------------------------------------


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep complete bench months")
    parser.add_argument("--only", choices=["period", "aggregate"])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", metavar="MODE", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if args.child:
        child(args.child, Path(args.out), args.rounds, args.only, args.reuse)
        return 0
    results = {"load_before": os.getloadavg()}
    for size in args.sizes.split(","):
        env = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, db_name(size))}
        extra = ["--rounds", str(args.rounds)] + (["--reuse"] if args.reuse else [])
        extra += ["--only", args.only] if args.only else []
        started = time.monotonic()
        prepared = run_script(__file__, env, "--child", "prepare", *extra)
        print(f"{db_name(size)}: months {prepared} ({time.monotonic() - started:.0f} s)")
        results[size] = run_script(__file__, env, "--child", "measure", *extra)
    results["load_after"] = os.getloadavg()
    lines = []
    for size in args.sizes.split(","):
        r = results[size]
        for name in ("period", "aggregate"):
            if name not in r:
                continue
            m = r[name]
            ratio = m["product_s"] / m["raw_s"]
            lines.append(
                (
                    name,
                    f"{r['branches']:,}",
                    f"{m['product_s']:.2f} s / {m['product_queries']}",
                    f"{m['raw_s']:.2f} s / {m['raw_queries']}",
                    f"{ratio:.2f}×",
                    "pass" if ratio <= MAX_RATIO else "FAIL",
                )
            )
        if "aggregate_check" in r:
            print(f"{db_name(size)}: aggregate product vs raw: {r['aggregate_check']}")
    header = ("what", "branches", "product / queries", "raw SQL / queries", "ratio", "≤ 2×")
    print(table(header, lines))
    before, after = (
        " ".join(f"{x:.1f}" for x in results[k]) for k in ("load_before", "load_after")
    )
    print(f"load average: before {before}, after {after}")
    write_results(RESULTS, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
