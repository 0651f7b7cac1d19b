#!/usr/bin/env python
"""Schedules benchmark: beat creating a month's period for a province of N branches
(`services.schedules.run_schedule`: the due rule, the period, an empty assessment per branch
with its committee, the audit) versus the raw SQL doing the same inserts (one
`INSERT … SELECT` of the assessments, the committee joined by path).

    createdb -h 127.0.0.1 -U postgres f18_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/f18_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/f18_bench \\
        .venv/bin/python bench/schedules.py [--branches 100000] [--rounds 3]

Builds (once, reused when it holds exactly N branches) a province with 10 cities and N branches
spread over them, by bulk insert. Each round runs both inside a transaction that is rolled back,
and keeps the best time of the rounds; passes when ORM / SQL ≤ 2.0."""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from branches.models import BranchCategory, OrgUnit, UnitType  # noqa: E402
from evaluation.models import AssessmentPeriod, Schedule, ScoringTable, TableVersion  # noqa: E402
from evaluation.services import schedules  # noqa: E402

CITIES = 10
MAX_RATIO = 2.0
MONTH = date(2031, 1, 1)
RAW_SQL = """
    INSERT INTO evaluation_assessment (period_id, unit_id, category, region_id, committee_id,
        status, revision, is_vetoed, veto_reason, created_at, updated_at)
    SELECT %s, u.id, u.category, u.region_id, c.id, 'draft', 0, false, '', now(), now()
    FROM branches_orgunit u LEFT JOIN branches_orgunit c ON c.path = substr(u.path, 1, 8)
    WHERE u.path LIKE %s AND u.unit_type = 'branch' AND u.is_active
"""


def build_tree(n: int) -> OrgUnit:
    province = OrgUnit.objects.filter(depth=1, code="BENCH-P").first()
    if province and OrgUnit.objects.filter(unit_type=UnitType.BRANCH).count() == n:
        return province
    OrgUnit.objects.all().delete()
    province = OrgUnit.add_root(unit_type=UnitType.PROVINCE, code="BENCH-P", name="省公司党委")
    cities = [
        province.add_child(unit_type=UnitType.CITY, code=f"BENCH-C{i}", name=f"第{i}市党委")
        for i in range(CITIES)
    ]
    categories = [c for c, _label in BranchCategory.choices]
    rows = []
    for i in range(n):
        city = cities[i % CITIES]
        step = i // CITIES + 1
        rows.append(
            OrgUnit(
                path=OrgUnit._get_path(city.path, 3, step),
                depth=3,
                numchild=0,
                unit_type=UnitType.BRANCH,
                code=f"BENCH-B{i}",
                name=f"第{i}党支部",
                category=categories[i % len(categories)],
            )
        )
    OrgUnit.objects.bulk_create(rows, batch_size=5000)
    OrgUnit.objects.filter(unit_type=UnitType.CITY).update(numchild=n // CITIES)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE branches_orgunit")
    return province


def timed_orm(schedule) -> float:
    with transaction.atomic():
        start = time.perf_counter()
        created = schedules.run_schedule(schedule.pk, MONTH)
        elapsed = time.perf_counter() - start
        assert len(created) == 1 and created[0].assessments.count() == BRANCHES
        transaction.set_rollback(True)
    return elapsed


def timed_sql(province, version) -> float:
    with transaction.atomic():
        period = AssessmentPeriod.objects.create(
            name="raw",
            kind="monthly",
            table_version=version,
            scope=province,
            starts_on=MONTH,
            ends_on=date(2031, 1, 31),
            opens_on=MONTH,
            closes_on=date(2031, 2, 10),
        )
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [period.pk, province.path + "%"])
            assert cursor.rowcount == BRANCHES
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main(argv=None) -> int:
    global BRANCHES
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    BRANCHES = args.branches
    province = build_tree(args.branches)
    table = ScoringTable.objects.get(code="six-good")
    version = TableVersion.objects.filter(table=table, status="published").latest("number")
    schedule, _created = Schedule.objects.get_or_create(
        table=table, scope=province, defaults={"first_month": MONTH}
    )
    Schedule.objects.filter(pk=schedule.pk).update(first_month=MONTH, quarterly=False, annual=False)
    orm, sql = [], []
    for _round in range(args.rounds):
        sql.append(timed_sql(province, version))
        orm.append(timed_orm(schedule))
    ratio = min(orm) / min(sql)
    verdict = "pass" if ratio <= MAX_RATIO else "FAIL"
    print(
        f"month's period for {args.branches:,} branches: beat {min(orm):.2f} s, "
        f"raw SQL {min(sql):.2f} s → {ratio:.2f}× (target ≤ {MAX_RATIO}) {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
