#!/usr/bin/env python
"""Scale benchmark: the same pages on a small and a large province.

    python bench/run.py [--small 1000] [--large 100000] [--requests 30] [--rounds 3]
                        [--reuse] [--strict]

For each size it (re)creates a PostgreSQL database (bench_small, bench_large), migrates it and
seeds it with `seed_demo --branches N`, then requests every page in PAGES as every user in USERS
through django.test.Client in a separate process on that database (rounds alternate the two
databases). A row passes when the query count is the same on both sizes and
p95(large) / p95(small) <= MAX_P95_RATIO.
Results: a table on stdout and bench/results/latest.json. See bench/README.md.
"""

import argparse
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results" / "latest.json"
MAX_P95_RATIO = 1.5

#: Who looks at the pages: usernames made by seed_demo (province admin, Hangzhou city reviewer,
#: province reviewer).
USERS = ["admin", "city_hz", "province"]

#: The pages to measure, one line each: (name, url) or (name, url, users). A url may be a
#: function of a `Context` (one per user) for pages whose address depends on the data, e.g.
#:     ("brand detail", lambda c: f"/brands/{c.first('brands.BrandApplication').pk}/"),
#: `users` limits a page to some of USERS (a page only some roles may open); default: all.
PAGES = [
    ("org list", "/org/"),
    ("org search q=网络", "/org/?q=网络"),
    # the middle page as reached by "下一页" (keyset: after the path of the previous page's
    # last row), and as typed by hand (page number only: index entries skipped)
    ("org middle page", lambda c: c.middle_page_url),
    ("org middle page typed", lambda c: f"/org/?page={c.middle_page}"),
    ("city committee detail", lambda c: f"/org/{c.unit('HZ').pk}/"),
    ("dashboard", "/"),
    ("brand review queue", "/brands/queue/", ["city_hz", "province"]),
    ("brands index", "/brands/"),
    ("brand wall", "/brands/showcase/"),
    ("brand wall city=HZ", lambda c: f"/brands/showcase/?city={c.unit('HZ').pk}"),
    ("brand clusters", "/brands/showcase/clusters/"),
    ("coverage", "/brands/coverage/"),
    ("coverage missing", "/brands/coverage/missing/"),
    ("brand detail", lambda c: f"/brands/{c.brand_waiting_at('HZ').pk}/"),
]

#: The environment the pages are served in: production settings, minus HTTPS and the static
#: manifest (no collectstatic in a bench run), with Celery eager and persistent database
#: connections (as under gunicorn), so a request's time is the page's work, not a PG handshake.
SERVE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "testserver",
    "STATIC_MANIFEST": "0",
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "ERROR",
    "CONN_MAX_AGE": "600",
    "PYTHONWARNINGS": "ignore::UserWarning",  # "No directory at: staticfiles/"
}


# --- the measuring process (runs inside Django, against one database) -----------------------


class Context:
    """What a page's url may depend on, for one logged-in user."""

    def __init__(self, user):
        self.user = user
        self._middle = None

    def unit(self, code):
        from branches.models import OrgUnit

        return OrgUnit.objects.get(code=code)

    def first(self, model_label, **filters):
        from django.apps import apps

        return apps.get_model(model_label).objects.filter(**filters).order_by("pk").first()

    def brand_waiting_at(self, code):
        """The first application in review at the unit `code` (e.g. a city's committee)."""
        return self.first(
            "brands.BrandApplication", status="in_review", current_level=self.unit(code)
        )

    @property
    def middle_page(self):
        """The middle page of the user's org list: a deep OFFSET on the large province."""
        if self._middle is None:
            from branches import selectors
            from branches.views import PAGE_SIZE

            pages = max(1, math.ceil(selectors.search_units(self.user).count() / PAGE_SIZE))
            self._middle = (pages + 1) // 2
        return self._middle

    @property
    def middle_page_url(self):
        """The middle page's link on the page before it (the path of that page's last row)."""
        from branches import selectors
        from branches.views import PAGE_SIZE

        number = self.middle_page
        if number == 1:
            return "/org/"
        units = selectors.search_units(self.user)
        after = units.values_list("path", flat=True)[(number - 1) * PAGE_SIZE - 1]
        return f"/org/?page={number}&after={after}"


def percentile(values, q):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def measure_page(client, name: str, username: str, url, context, requests: int) -> dict:
    """One page as `client` sees it: query count and the slowest queries of one request, then
    p50/p95 of `requests` timed ones. `url` is a string or a function of `context`. A failing
    page is a result (`error`), not a crash of the run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = {"page": name, "user": username, "url": None, "status": None, "error": None}
    try:
        row["url"] = url(context) if callable(url) else url
        # Start every page from the same garbage-collector state on both sizes: a full
        # collection (tens of ms on this heap) then falls on the same requests of the page on
        # both, instead of wherever the pages measured before left the counters.
        gc.collect()
        client.get(row["url"])  # warm-up: caches, first template compile
        with CaptureQueriesContext(connection) as captured:
            response = client.get(row["url"])
        # Read now: the next request's request_started signal empties the query log.
        queries = captured.captured_queries
        row["status"] = response.status_code
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(row["url"])
            timings.append((time.perf_counter() - started) * 1000)
    except Exception as exc:  # noqa: BLE001 -- a broken page is a result, not a crash
        row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return row
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    row.update(
        queries=len(queries),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        slowest_queries=[
            {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:400]} for q in slowest
        ],
    )
    return row


def measure(requests: int, pages: str | None = None) -> list[dict]:
    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    rows = []
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        context = Context(user)
        for name, url, *only in PAGES:
            if only and username not in only[0]:
                continue
            if pages and name not in pages.split(","):
                continue
            rows.append(measure_page(client, name, username, url, context, requests))
    return rows


# --- the driver --------------------------------------------------------------------------------


def db_name(label: str) -> str:
    """The database of one size: `bench_small`, `bench_large`; BENCH_DB_PREFIX gives a private
    pair (several people benchmarking on one PostgreSQL server)."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'bench')}_{label}"


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def _connect(server: str, name: str):
    import psycopg2

    parts = urlsplit(server)
    connection = psycopg2.connect(
        dbname=name,
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    return connection


#: Tables a current seed_demo fills: a database seeded before an app's demo data existed is
#: not reused (it would measure empty pages).
SEEDED_TABLES = ["brands_brandapplication", "groups_memberassessment"]
#: With --apps, the table whose rows show an app's demo data was seeded.
APP_TABLES = [("brands", "brands_brandapplication"), ("groups", "groups_memberassessment")]


def seeded_branches(server: str, name: str, tables=None) -> int | None:
    """How many branches the database holds, or None if it does not exist, is not migrated or
    lacks the demo data of a later app (`tables`, default SEEDED_TABLES)."""
    import psycopg2

    try:
        connection = _connect(server, name)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM branches_orgunit WHERE unit_type = 'branch'")
            branches = cursor.fetchone()[0]
            for table in SEEDED_TABLES if tables is None else tables:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 -- ours
                if not cursor.fetchone()[0]:
                    return None
            return branches
    except psycopg2.Error:
        return None
    finally:
        connection.close()


def recreate_database(server: str, name: str) -> None:
    from psycopg2 import sql

    connection = _connect(server, "postgres")
    try:
        with connection.cursor() as cursor:
            ident = sql.Identifier(name)
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    finally:
        connection.close()


def manage(env: dict, *args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started, done.stdout


def prepare(server: str, name: str, branches: int, reuse: bool, env: dict, apps=None) -> dict:
    """The database `name` migrated and seeded with `branches` (the demo data of `apps` only,
    if given: see --apps), or reused as it is when `reuse` and it holds that many."""
    info = {"database": name, "branches": branches, "reused": False, "apps": apps or "all"}
    tables = None if apps is None else [t for a, t in APP_TABLES if a in apps.split(",")]
    if reuse and seeded_branches(server, name, tables) == branches:
        info["reused"] = True
        info["migrate_s"], _ = manage(env, "migrate", "--noinput")  # newer apps' migrations
        print(f"[{name}] reusing: already holds {branches} branches", flush=True)
        return info
    recreate_database(server, name)
    info["migrate_s"], _ = manage(env, "migrate", "--noinput")
    print(
        f"[{name}] migrated in {info['migrate_s']:.1f}s; seeding {branches} branches …", flush=True
    )
    only = ["--apps", apps] if apps else []
    info["seed_s"], out = manage(env, "seed_demo", "--branches", str(branches), *only)
    info["seed_summary"] = out.splitlines()[0] if out else ""
    print(f"[{name}] {info['seed_summary']} (command wall time {info['seed_s']:.1f}s)", flush=True)
    return info


def run_script(script: str, env: dict, *args: str):
    """Run `script` (a bench script, in one of its worker modes) in a fresh process with
    `env`; it writes its result as JSON to the file named after `--out`, returned parsed."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        done = subprocess.run(  # noqa: S603 -- a bench script of ours, in a worker mode
            [sys.executable, script, *args, "--out", str(out)],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            name = Path(script).name
            sys.exit(f"{name} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def run_measure(env: dict, requests: int, pages: str | None = None) -> list[dict]:
    only = ["--pages", pages] if pages else []
    return run_script(__file__, env, "--measure", "--requests", str(requests), *only)


def merge_rounds(runs: list[list[dict]]) -> list[dict]:
    """One row per page and user: p50 and p95 are the lowest of the rounds' (best of N:
    background load on the machine only ever adds time); the query count is the largest seen
    (rounds should agree)."""
    merged = []
    for rows in zip(*runs, strict=True):
        row = dict(rows[0])
        if all(r.get("p95_ms") is not None for r in rows):
            row["p50_ms"] = min(r["p50_ms"] for r in rows)
            row["p95_ms"] = min(r["p95_ms"] for r in rows)
            row["queries"] = max(r["queries"] for r in rows)
            row["p95_ms_rounds"] = [r["p95_ms"] for r in rows]
        merged.append(row)
    return merged


def compare(small: list[dict], large: list[dict]) -> list[dict]:
    by_key = {(r["page"], r["user"]): r for r in large}
    rows = []
    for s in small:
        big = by_key.get((s["page"], s["user"]), {})
        row = {
            "page": s["page"],
            "user": s["user"],
            "url_small": s["url"],
            "url_large": big.get("url"),
        }
        for field in (
            "queries",
            "p50_ms",
            "p95_ms",
            "p95_ms_rounds",
            "status",
            "error",
            "slowest_queries",
        ):
            row[f"{field}_small"], row[f"{field}_large"] = s.get(field), big.get(field)
        ok_status = row["status_small"] == row["status_large"] == 200
        if ok_status and row["p95_ms_small"]:
            row["p95_ratio"] = round(row["p95_ms_large"] / row["p95_ms_small"], 2)
        else:
            row["p95_ratio"] = None
        row["same_queries"] = ok_status and row["queries_small"] == row["queries_large"]
        row["passed"] = bool(
            row["same_queries"]
            and row["p95_ratio"] is not None
            and row["p95_ratio"] <= MAX_P95_RATIO
        )
        rows.append(row)
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(rows: list[dict]) -> str:
    header = [
        "page",
        "user",
        "queries small",
        "queries large",
        "p50 small",
        "p95 small",
        "p50 large",
        "p95 large",
        "p95 ratio",
        "result",
    ]

    def num(value, unit=""):
        return "—" if value is None else f"{value}{unit}"

    lines = [header]
    for r in rows:
        why = []
        if not r["same_queries"]:
            why.append(
                "queries"
                if r["status_small"] == r["status_large"] == 200
                else f"HTTP {r['status_small']}/{r['status_large']} "
                f"{r['error_small'] or r['error_large'] or ''}".strip()
            )
        if r["p95_ratio"] is not None and r["p95_ratio"] > MAX_P95_RATIO:
            why.append("p95")
        lines.append(
            [
                r["page"],
                r["user"],
                num(r["queries_small"]),
                num(r["queries_large"]),
                num(r["p50_ms_small"], " ms"),
                num(r["p95_ms_small"], " ms"),
                num(r["p50_ms_large"], " ms"),
                num(r["p95_ms_large"], " ms"),
                num(r["p95_ratio"], "×"),
                "PASS" if r["passed"] else "FAIL (" + ", ".join(why) + ")",
            ]
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    text = [
        " | ".join(c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True))
        for line in lines
    ]
    text.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(t.rstrip() for t in text)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000, help="branches in the small province")
    parser.add_argument("--large", type=int, default=100_000, help="branches in the large one")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternating small/large measuring rounds (best p95 is kept)",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a bench database that already has that many branches",
    )
    parser.add_argument(
        "--apps",
        help="seed only these apps' demo data (seed_demo --apps), e.g. brands for a 1M-branch "
        "run of the org list and review queue; use a BENCH_DB_PREFIX of its own",
    )
    parser.add_argument(
        "--pages", help="comma-separated page names of PAGES to measure (default all)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a row fails")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--out", help=argparse.SUPPRESS)  # internal: where --measure writes
    return parser.parse_args(argv)


def write_results(path: Path, payload: dict) -> None:
    """The run's figures as JSON (git-ignored), stamped with the time of the run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stamped = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), **payload}
    path.write_text(json.dumps(stamped, ensure_ascii=False, indent=2, default=str))
    print(f"results: {path.relative_to(BASE_DIR)}")


def main(argv=None) -> int:
    args = parse(argv)
    if args.measure:
        rows = measure(args.requests, args.pages)
        Path(args.out).write_text(json.dumps(rows, ensure_ascii=False))
        return 0

    databases, envs = {}, {}
    for label, branches in (("small", args.small), ("large", args.large)):
        name = db_name(label)
        envs[label] = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, name)}
        databases[label] = prepare(
            args.server, name, branches, args.reuse, envs[label], apps=args.apps
        )

    # Rounds alternate small and large, so a burst of load on the machine hits both sizes
    # alike instead of skewing one side of the ratio.
    rounds = {"small": [], "large": []}
    for number in range(1, args.rounds + 1):
        for label in rounds:
            print(
                f"[round {number}/{args.rounds}] bench_{label}: {len(PAGES)} pages × "
                f"up to {len(USERS)} users × {args.requests} requests …",
                flush=True,
            )
            rounds[label].append(run_measure(envs[label], args.requests, args.pages))
    measured = {label: merge_rounds(runs) for label, runs in rounds.items()}

    rows = compare(measured["small"], measured["large"])
    print()
    print(render(rows))
    failed = [r for r in rows if not r["passed"]]
    print(
        f"\n{len(rows) - len(failed)}/{len(rows)} rows pass (same query count, "
        f"p95 ratio ≤ {MAX_P95_RATIO})."
    )
    for label, info in databases.items():
        if not info["reused"]:
            print(
                f"seed {label}: {info['branches']} branches in {info['seed_s']:.1f}s "
                f"(migrate {info['migrate_s']:.1f}s)"
            )

    write_results(
        RESULTS,
        {
            "requests": args.requests,
            "rounds": args.rounds,
            "max_p95_ratio": MAX_P95_RATIO,
            "databases": databases,
            "rows": rows,
        },
    )
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
