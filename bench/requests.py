#!/usr/bin/env python
"""Request-path profile (issue #19, item 1): the most used pages on the small province, each
with its query count, p50/p95 and where a request's time goes.

    python bench/requests.py [--requests 30] [--profiled 10] [--rounds 2] [--only dashboard]

Runs on the small bench database (bench/run.py seeds it; `BENCH_DB_PREFIX` for a private one)
in a separate process with bench/run.py's serving environment (production settings, DEBUG=0,
persistent connections, Celery eager), through `django.test.Client` logged in as the page's
users. Per page and user: one warm-up request; one under `CaptureQueriesContext` (query count,
SQL time); `--requests` timed ones (p50, p95 and the median CPU time of this process — the
page's own Python work, which other load on the machine moves less than the wall clock; best
of `--rounds`); then `--profiled` requests under cProfile, from which it prints the share of
the profiled request spent in SQL (the driver's `execute`), in template rendering (the
backend's `render`) and in loading the session, and the top 5 functions by cumulative time
that are not pass-through frames (client, handler, middleware, dispatch: a frame handing 90 %
of its time to one callee), then the top 5 of the portal's own code.
Results: a table on stdout, details in bench/results/requests.json. See bench/README.md.
"""

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import (  # noqa: E402
    SERVE_ENV,
    Context,
    database_url,
    db_name,
    percentile,
    run_script,
    write_results,
)

RESULTS = BASE_DIR / "bench" / "results" / "requests.json"
#: The floor: config/trivial.py's view behind the whole middleware stack (bench/load.py's floor).
FLOOR = ("floor (trivial view)", "/bench/trivial/")  # (name, url)
#: The CPU budget of a page, in floors: a page may spend at most this many times the CPU the
#: trivial view spends behind the same middleware (issue #19, item 1: the defended target; see
#: bench/README.md "Request path"). About 25 ms on this 2-core machine.
BUDGET_FLOORS = 10
BRANCH = "HZ-00001"  # secretary1's branch (seed_demo): records, members, an assessment
#: A frame taking this share of the request or more is a wrapper (client, handler, middleware
#: chain, the view's dispatch), not a subtree worth naming.
WRAPPER_SHARE = 0.8
#: A frame that hands this share of its time to a single callee passes it through.
PASS_THROUGH = 0.9


class PageContext(Context):
    def branch(self):
        return self.unit(BRANCH)

    def assessment(self):
        """The branch's published assessment (its draft if none is published)."""
        return self.first(
            "evaluation.Assessment", unit=self.branch(), status="published"
        ) or self.first("evaluation.Assessment", unit=self.branch())


#: (name, url, users): the pages people open most — the 工作台, the queues reviewers work
#: through, the lists, a detail page of each kind and the ledger a secretary keeps.
PAGES = [
    ("dashboard 工作台", "/", ["secretary1", "city_hz", "province"]),
    ("brand review queue", "/brands/queue/", ["city_hz", "province"]),
    ("brand list", "/brands/", ["city_hz"]),
    ("brand detail", lambda c: f"/brands/{c.brand_waiting_at('HZ').pk}/", ["city_hz"]),
    ("assessment queue", "/evaluation/queue/", ["city_hz"]),
    (
        "assessment detail",
        lambda c: f"/evaluation/assessments/{c.assessment().pk}/",
        ["city_hz", "secretary1"],
    ),
    ("ledger records", lambda c: f"/ledger/branch/{c.branch().pk}/records/", ["secretary1"]),
    ("ledger roster", lambda c: f"/ledger/branch/{c.branch().pk}/", ["secretary1"]),
    ("branch compliance", lambda c: f"/ledger/branch/{c.branch().pk}/compliance/", ["secretary1"]),
    ("committee compliance", lambda c: f"/ledger/compliance/{c.unit('HZ').pk}/", ["city_hz"]),
    ("org list", "/org/", ["city_hz", "province"]),
    ("notifications", "/notifications/", ["secretary1"]),
]


# --- the measuring process ------------------------------------------------------------------


def _short(key) -> str:
    filename, line, function = key
    if filename.startswith("~") or filename.startswith("<"):
        return function
    path = Path(filename)
    if path.is_relative_to(BASE_DIR):
        path = path.relative_to(BASE_DIR)
    parts = path.parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    return f"{'/'.join(parts)}:{line}({function})"


def breakdown(stats: pstats.Stats, count: int) -> dict:
    """Where `count` profiled requests spent their time, per request (ms)."""
    table = stats.stats  # key -> (primitive calls, calls, tottime, cumtime, callers)
    total = max(ct for _cc, _nc, _tt, ct, _callers in table.values())

    def cum(match) -> float:
        return sum(v[3] for k, v in table.items() if match(k))

    def tot(match) -> float:
        return sum(v[2] for k, v in table.items() if match(k))

    def per_request(seconds):
        return round(seconds * 1000 / count, 2)

    sql = tot(lambda k: k[2] == "<method 'execute' of 'psycopg2.extensions.cursor' objects>")
    # the backend's render is the outermost (an {% include %} renders base.Template inside it)
    templates = cum(lambda k: k[0].endswith("template/backends/django.py") and k[2] == "render")
    session = cum(lambda k: "contrib/sessions/backends" in k[0] and k[2] == "_get_session")
    # A pass-through frame (client, handler, middleware, dispatch, the template engine's
    # node lists) hands nearly all its time to one callee: skip it, name where time splits.
    widest = {}
    for _cc, _nc, _tt, _ct, callers in table.values():
        for caller, edge in callers.items():
            widest[caller] = max(widest.get(caller, 0.0), edge[3])
    below = [
        (v[3], k)
        for k, v in table.items()
        if v[3] < WRAPPER_SHARE * total
        and widest.get(k, 0.0) < PASS_THROUGH * v[3]
        and not k[0].startswith("~")
    ]
    below.sort(reverse=True)
    own = [
        (v[3], k)
        for k, v in table.items()
        if str(BASE_DIR) in k[0]
        and ".venv" not in k[0]
        and widest.get(k, 0.0) < PASS_THROUGH * v[3]
    ]
    own.sort(reverse=True)
    return {
        "profiled_ms": per_request(total),
        "sql_ms": per_request(sql),
        "templates_ms": per_request(templates),
        "session_ms": per_request(session),
        "top5": [(_short(k), per_request(ct)) for ct, k in below[:5]],
        "top5_project": [(_short(k), per_request(ct)) for ct, k in own[:5]],
    }


def measure_page(client, name, username, url, context, requests: int, profiled: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = {"page": name, "user": username, "url": None, "status": None, "error": None}
    try:
        row["url"] = url(context) if callable(url) else url
        gc.collect()
        client.get(row["url"])  # warm-up
        with CaptureQueriesContext(connection) as captured:
            response = client.get(row["url"])
        queries = captured.captured_queries
        row["status"] = response.status_code
        timings, cpu, floor_cpu = [], [], []
        # The floor as the same user, right before the page: load from elsewhere on the machine
        # drifts slowly, so their ratio (the page in floors) holds still. In a batch of its
        # own, not interleaved: request by request, the page's garbage would be collected
        # during the floor's requests and charged to it (measured: the floor ~1.6× higher).
        gc.collect()
        for _ in range(requests):
            started_cpu = time.process_time()
            client.get(FLOOR[1])
            floor_cpu.append((time.process_time() - started_cpu) * 1000)
        gc.collect()
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(row["url"])
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        profiler = cProfile.Profile()
        for _ in range(profiled):
            profiler.runcall(client.get, row["url"])
    except Exception as exc:  # noqa: BLE001 -- a broken page is a result, not a crash
        row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return row
    row.update(
        queries=len(queries),
        sql_ms_one=round(sum(float(q["time"]) for q in queries) * 1000, 2),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        cpu_p50_ms=round(statistics.median(cpu), 2),
        floor_cpu_ms=round(statistics.median(floor_cpu), 2),
        floors=round(statistics.median(cpu) / statistics.median(floor_cpu), 2),
        **breakdown(pstats.Stats(profiler), profiled),
    )
    return row


def measure(requests: int, profiled: int, only: str | None) -> list[dict]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    clients = {}
    rows = []
    for name, url, usernames in PAGES:
        if only and only not in name:
            continue
        for username in usernames:
            if username not in clients:
                user = users.get(username=username)
                client = Client()
                client.force_login(user)
                clients[username] = (client, PageContext(user))
            client, context = clients[username]
            rows.append(measure_page(client, name, username, url, context, requests, profiled))
    return rows


# --- the driver -------------------------------------------------------------------------------


def merge(runs: list[list[dict]]) -> list[dict]:
    """Best p50/p95 of the rounds (load from elsewhere only adds time); the profile of the
    round with the best p50."""
    merged = []
    for rows in zip(*runs, strict=True):
        ok = [r for r in rows if r.get("p50_ms") is not None]
        if not ok:
            merged.append(rows[0])
            continue
        row = dict(min(ok, key=lambda r: r["p50_ms"]))
        row["p95_ms"] = min(r["p95_ms"] for r in ok)
        row["queries"] = max(r["queries"] for r in ok)
        row["cpu_p50_ms"] = min(r["cpu_p50_ms"] for r in ok)
        row["floors"] = min(r["floors"] for r in ok)
        row["floors_rounds"] = [r["floors"] for r in ok]
        merged.append(row)
    return merged


def judge(rows: list[dict]) -> list[dict]:
    """Each page's verdict: its CPU in floors (the trivial view's CPU, measured as the same
    user interleaved with the page's requests) against BUDGET_FLOORS."""
    for r in rows:
        if r.get("floors") is not None and r["page"] != FLOOR[0]:
            r["budget"] = "PASS" if r["floors"] <= BUDGET_FLOORS else "FAIL"
    return rows


def render(rows: list[dict]) -> str:
    lines = []
    header = (
        f"{'page':<22} {'user':<11} {'q':>3} {'p50 ms':>7} {'p95 ms':>7} {'cpu ms':>7} "
        f"{'floors':>6} {'budget':>6} "
        f"{'sql':>5} {'tmpl':>5} {'sess':>5}   (shares of the profiled request)"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for r in rows:
        if r.get("error") or r.get("p50_ms") is None:
            lines.append(f"{r['page']:<22} {r['user']:<11} ERROR {r.get('error')}")
            continue

        def share(key, r=r):
            return f"{100 * r[key] / r['profiled_ms']:.0f}%" if r["profiled_ms"] else "—"

        floors = r.get("floors")
        verdict = "—" if floors is None or r["page"] == FLOOR[0] else r["budget"]
        lines.append(
            f"{r['page']:<22} {r['user']:<11} {r['queries']:>3} {r['p50_ms']:>7} "
            f"{r['p95_ms']:>7} {r['cpu_p50_ms']:>7} "
            f"{'—' if floors is None else f'{floors:.1f}':>6} {verdict:>6} {share('sql_ms'):>5} "
            f"{share('templates_ms'):>5} {share('session_ms'):>5}"
        )
    lines.append("\nTop 5 functions by cumulative time (per request, under cProfile; pass-through")
    lines.append("frames skipped), then the top 5 of the portal's own code:")
    for r in rows:
        if r.get("top5"):
            lines.append(f"  {r['page']} ({r['user']}), {r['profiled_ms']} ms profiled:")
            lines.extend(f"      {ms:>7} ms  {fn}" for fn, ms in r["top5"])
            lines.append("      ·")
            lines.extend(f"      {ms:>7} ms  {fn}" for fn, ms in r["top5_project"])
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--profiled", type=int, default=10, help="requests under cProfile")
    parser.add_argument("--rounds", type=int, default=2, help="measuring processes, best kept")
    parser.add_argument("--only", help="pages whose name contains this")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        rows = measure(args.requests, args.profiled, args.only)
        Path(args.out).write_text(json.dumps(rows, ensure_ascii=False))
        return 0
    env = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, db_name("small"))}
    env["ALLOWED_HOSTS"] = "testserver"
    env["BENCH_TRIVIAL_VIEW"] = "1"  # the floor's view is routed in the measuring process only
    extra = ["--only", args.only] if args.only else []
    runs = []
    for number in range(1, args.rounds + 1):
        print(f"[round {number}/{args.rounds}] {db_name('small')} …", flush=True)
        runs.append(
            run_script(
                __file__,
                env,
                "--child",
                "--requests",
                str(args.requests),
                "--profiled",
                str(args.profiled),
                *extra,
            )
        )
    rows = judge(merge(runs))
    print()
    print(render(rows))
    measured = [r for r in rows if r.get("budget")]
    passed = sum(r["budget"] == "PASS" for r in measured)
    floors = sorted(r["floor_cpu_ms"] for r in measured)
    print(
        f"\nBudget: a page's CPU ≤ {BUDGET_FLOORS} floors (the trivial view as the same user, "
        f"just before the page; {floors[0]}–{floors[-1]} ms): {passed}/{len(measured)} rows pass"
    )
    write_results(RESULTS, {"requests": args.requests, "rounds": args.rounds, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
