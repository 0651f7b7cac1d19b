#!/usr/bin/env python
"""Results export benchmark: CSV and XLSX against the bare SQL, on a small and a large province.

    python bench/exports.py [--rounds 3] [--strict]

Uses the databases and the bench period of bench/evaluation.py (`BENCH 六好 月度`, a published
result per branch; made once, reused). Per database, in a separate process, best of `--rounds`
interleaved rounds:

* SQL — bench.evaluation.RAW_SQL (the export's figures by hand) with `cursor.fetchall()`;
* CSV — `exports_csv.results_csv(province, period)` read to the end (what the streaming
  response sends): COPY on PostgreSQL;
* XLSX — `exports.results_workbook(province, period)` read to the end.

Then the tracemalloc peak of one CSV and one XLSX (separate runs). Targets on the large province
(issue #19): CSV / SQL ≤ 1.5, XLSX / SQL ≤ 4, memory flat (peak(large) ≤ 1.25 × peak(small)).
Results: a table on stdout and bench/results/exports.json.
"""

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.evaluation import bench_period, export, raw_sql, table  # noqa: E402
from bench.run import SERVE_ENV, database_url, db_name, run_script, write_results  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results" / "exports.json"
MAX_CSV_RATIO = 1.5
MAX_XLSX_RATIO = 4.0
MAX_MEMORY_RATIO = 1.25


def read_csv(user, period) -> int:
    from evaluation import exports_csv

    return sum(len(chunk) for chunk in exports_csv.results_csv(user, period))


def best(call, rounds_out: list) -> None:
    gc.collect()
    started = time.perf_counter()
    call()
    rounds_out.append(time.perf_counter() - started)


def peak_mb(call) -> float:
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 2)


def measure(rounds: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = bench_period()
    user = get_user_model().objects.get(username="province")
    out = {"rows": raw_sql(period)}  # warm-up (buffers, plans)
    out["csv_bytes"] = read_csv(user, period)
    out["xlsx_bytes"] = export(user, period)
    with CaptureQueriesContext(connection) as captured:
        read_csv(user, period)
    out["csv_queries"] = len(captured.captured_queries)
    times = {"sql": [], "csv": [], "xlsx": []}
    for _ in range(rounds):  # interleaved, best of
        best(lambda: raw_sql(period), times["sql"])
        best(lambda: read_csv(user, period), times["csv"])
        best(lambda: export(user, period), times["xlsx"])
    for name, values in times.items():
        out[f"{name}_s"] = round(min(values), 3)
        out[f"{name}_s_rounds"] = [round(t, 3) for t in values]
    out["csv_peak_mb"] = peak_mb(lambda: read_csv(user, period))
    out["xlsx_peak_mb"] = peak_mb(lambda: export(user, period))
    out["sql_peak_mb"] = peak_mb(lambda: raw_sql(period))
    return out


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def ratio(a, b):
    return round(a / b, 2) if b else None


def main(argv=None) -> int:
    args = parse(argv)
    if args.child:
        Path(args.out).write_text(json.dumps(measure(args.rounds)))
        return 0
    evaluation_script = str(BASE_DIR / "bench" / "evaluation.py")
    results = {}
    for label in ("small", "large"):
        env = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, db_name(label))}
        print(f"[{db_name(label)}] bench period …", flush=True)
        print(f"[{db_name(label)}] {run_script(evaluation_script, env, '--child', 'prepare')}")
        print(f"[{db_name(label)}] exports × {args.rounds} rounds …", flush=True)
        results[label] = run_script(__file__, env, "--child", "--rounds", str(args.rounds))
    small, large = results["small"], results["large"]
    verdict = {
        "csv_ratio": ratio(large["csv_s"], large["sql_s"]),
        "xlsx_ratio": ratio(large["xlsx_s"], large["sql_s"]),
        "csv_memory_ratio": ratio(large["csv_peak_mb"], small["csv_peak_mb"]),
        "xlsx_memory_ratio": ratio(large["xlsx_peak_mb"], small["xlsx_peak_mb"]),
        "same_queries": small["csv_queries"] == large["csv_queries"],
    }
    verdict["passed"] = bool(
        verdict["csv_ratio"] is not None
        and verdict["csv_ratio"] <= MAX_CSV_RATIO
        and verdict["xlsx_ratio"] <= MAX_XLSX_RATIO
        and verdict["csv_memory_ratio"] <= MAX_MEMORY_RATIO
        and verdict["xlsx_memory_ratio"] <= MAX_MEMORY_RATIO
        and verdict["same_queries"]
    )
    print()
    print(
        table(
            ["db", "rows", "SQL", "CSV", "CSV/SQL", "XLSX", "XLSX/SQL", "peak CSV", "peak XLSX"]
            + ["peak SQL", "CSV MB", "queries"],
            [
                [
                    db_name(label),
                    r["rows"],
                    f"{r['sql_s']} s",
                    f"{r['csv_s']} s",
                    f"{ratio(r['csv_s'], r['sql_s'])}×",
                    f"{r['xlsx_s']} s",
                    f"{ratio(r['xlsx_s'], r['sql_s'])}×",
                    f"{r['csv_peak_mb']} MB",
                    f"{r['xlsx_peak_mb']} MB",
                    f"{r['sql_peak_mb']} MB",
                    round(r["csv_bytes"] / 2**20, 1),
                    r["csv_queries"],
                ]
                for label, r in results.items()
            ],
        )
    )
    print(
        f"\nlarge: CSV/SQL {verdict['csv_ratio']}× (≤ {MAX_CSV_RATIO}), "
        f"XLSX/SQL {verdict['xlsx_ratio']}× (≤ {MAX_XLSX_RATIO}); memory large/small: "
        f"CSV {verdict['csv_memory_ratio']}×, XLSX {verdict['xlsx_memory_ratio']}× "
        f"(≤ {MAX_MEMORY_RATIO}); same queries: {verdict['same_queries']} → "
        f"{'PASS' if verdict['passed'] else 'FAIL'}"
    )
    write_results(RESULTS, {"rounds": args.rounds, "results": results, **verdict})
    return 1 if args.strict and not verdict["passed"] else 0


if __name__ == "__main__":
    sys.exit(main())
