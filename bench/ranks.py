#!/usr/bin/env python
"""Rank refresh benchmark: the batched `refresh_ranks` against the one-statement refresh it
replaced, on the bench period of bench/evaluation.py (1k and 100k published results).

    python bench/ranks.py [--rounds 2]

Per database, in a separate process, best of `--rounds`:

* one-shot — `UPDATE … FROM (RANK() OVER …)` over every published result in one transaction
  (rolled back, so each round starts alike): how long it holds every row lock;
* batched — `refresh_ranks` after the ranks were cleared (so it rewrites every row, as the
  one-shot does): the total time, the number of batches and the longest batch (how long a
  reviewer's write to a result can wait; target ≤ 1 s), and that the stored ranks equal the
  one-shot computation.

Results: a table on stdout and bench/results/ranks.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.evaluation import bench_period, table, vacuum  # noqa: E402
from bench.run import SERVE_ENV, database_url, db_name, run_script, write_results  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results" / "ranks.json"
MAX_BATCH_S = 1.0


class Rollback(Exception):
    pass


def one_shot(period_id) -> float:
    from django.db import connection, transaction

    from evaluation.models import Assessment
    from evaluation.services.ranking import ranked

    select, params = (
        ranked(period_id)
        .values("id", "r_category", "r_region", "r_province")
        .query.sql_with_params()
    )
    table_name = Assessment._meta.db_table
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table_name} SET rank_category = r.r_category, rank_region = r.r_region,"  # noqa: S608 -- ours
                f" rank_province = r.r_province FROM ({select}) AS r WHERE {table_name}.id = r.id",
                params,
            )
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def batched(period_id) -> dict:
    from evaluation.models import Assessment
    from evaluation.services import ranking

    Assessment.objects.filter(period_id=period_id).update(
        rank_category=None, rank_region=None, rank_province=None
    )
    vacuum()
    marks = []
    started = time.perf_counter()
    written = ranking.refresh_ranks(
        period_id, between_batches=lambda: marks.append(time.perf_counter())
    )
    total = time.perf_counter() - started
    # a batch's lock time is bounded by the interval between two commits (the first also holds
    # the window query into the temporary table, which locks nothing)
    gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    return {
        "written": written,
        "total_s": total,
        "batches": len(marks),
        "longest_batch_s": max(gaps) if gaps else total,
    }


def mismatches(period_id) -> int:
    from evaluation.services.ranking import ranked

    stored = dict(ranked(period_id).values_list("pk", "rank_province"))
    fresh = dict(ranked(period_id).values_list("pk", "r_province"))
    return sum(1 for pk, rank in fresh.items() if stored.get(pk) != rank)


def measure(rounds: int) -> dict:
    import django

    django.setup()
    period = bench_period()
    out = {"rows": period.assessments.filter(status="published").count()}
    shots, runs = [], []
    for _ in range(rounds):
        shots.append(one_shot(period.pk))
        runs.append(batched(period.pk))
    vacuum()
    best = min(runs, key=lambda r: r["total_s"])
    out.update(
        one_shot_s=round(min(shots), 3),
        batched_s=round(best["total_s"], 3),
        batches=best["batches"],
        written=best["written"],
        longest_batch_s=round(min(r["longest_batch_s"] for r in runs), 3),
        mismatches=mismatches(period.pk),
    )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        Path(args.out).write_text(json.dumps(measure(args.rounds)))
        return 0
    evaluation_script = str(BASE_DIR / "bench" / "evaluation.py")
    results = {}
    for label in ("small", "large"):
        env = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, db_name(label))}
        print(f"[{db_name(label)}] bench period …", flush=True)
        run_script(evaluation_script, env, "--child", "prepare")
        print(f"[{db_name(label)}] refresh × {args.rounds} …", flush=True)
        results[label] = run_script(__file__, env, "--child", "--rounds", str(args.rounds))
    print()
    print(
        table(
            ["db", "rows", "one-shot (locks all)", "batched", "batches", "longest batch"]
            + ["ranks ≠ one-shot"],
            [
                [
                    db_name(label),
                    r["rows"],
                    f"{r['one_shot_s']} s",
                    f"{r['batched_s']} s",
                    r["batches"],
                    f"{r['longest_batch_s']} s",
                    r["mismatches"],
                ]
                for label, r in results.items()
            ],
        )
    )
    large = results["large"]
    passed = large["longest_batch_s"] <= MAX_BATCH_S and not large["mismatches"]
    print(
        f"\nlarge: a reviewer waits at most {large['longest_batch_s']} s (≤ {MAX_BATCH_S}) instead "
        f"of {large['one_shot_s']} s; batched / one-shot = "
        f"{round(large['batched_s'] / large['one_shot_s'], 2)}× → {'PASS' if passed else 'FAIL'}"
    )
    write_results(RESULTS, {"rounds": args.rounds, "results": results, "passed": passed})
    return 0


if __name__ == "__main__":
    sys.exit(main())
