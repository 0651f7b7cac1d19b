#!/usr/bin/env python
"""Load bench (issue #19, items 6 and 1): the portal under gunicorn on a loopback port, 200
logged-in users, and the same users on a trivial Django view for the ratio.

    python bench/load.py [--users 200] [--reviewers 50] [--assessors 20] [--duration 60]
                         [--trivial-duration 30] [--warmup 10] [--workers 4] [--threads 4]
                         [--branches 1000] [--reuse] [--think 0] [--redis-db 13]

1. (Re)creates the PostgreSQL database `bench_load` (`BENCH_DB_PREFIX` for a private one;
   `--reuse` keeps one already seeded with that many branches), migrates it and runs
   `seed_demo --branches N`; reads from it, in a Django subprocess, who may log in as what and
   the pages that depend on the data (a secretary's branch and open self-assessment, a
   reviewer's unit).
2. Starts gunicorn (`--workers` × `--threads`, gthread) on a free loopback port with the
   production settings: DEBUG off, a SECRET_KEY, the database above with the production
   default of persistent connections, the cache on Redis (`redis://127.0.0.1:6379/<--redis-db>`,
   emptied before and after; not 0/1, which the README's examples use), Celery eager (no
   broker: the demo's notifications are sent in the request), no static manifest (no
   collectstatic in a bench run). Requests say they came through HTTPS (X-Forwarded-Proto),
   so the HTTPS redirect, secure cookies and CSRF origin checks all stay on.
3. Logs in for real (GET /login/, POST the form with its CSRF token; 16 at a time) once per
   demo account, the account's users sharing the session cookie (each of the ~45 logins costs
   ~0.25 s of CPU in PBKDF2; `--login-each` logs in all 200), then runs the mix for
   `--warmup` seconds unrecorded and `--duration` seconds recorded:
   `--users` minus `--reviewers` browse (their role's pages, the 工作台 three times as often;
   `--assessors` of them are branch secretaries who also open their self-assessment and save it
   as a draft), `--reviewers` work the brand review queue (open an application, approve about
   a third of them, follow the redirect). Closed loop: each user sends its next request when
   the last one is answered (`--think` adds a random pause averaging that many seconds), so
   with 200 users the server is saturated.
4. Then the same logged-in users request `/bench/trivial/` (config/trivial.py: the whole
   middleware stack, session and user included, no template, no query of its own) for
   `--trivial-duration` seconds.
5. Prints per page type: requests, errors, p50/p95/p99; per phase: throughput (requests/s
   completed inside the window), the server's CPU per request (gunicorn's processes), the
   client's CPU, the load average; and mix / trivial (target ≥ 50 %). bench/results/load.json
   holds it all. Gunicorn is stopped at the end, also on an error or ^C.

Default run: ~80 s migrating and seeding (`--reuse`: none), ~30 s of logins, 100 s of load:
about 4½ minutes on the shared 2-core machine. See bench/README.md.
"""

import argparse
import asyncio
import json
import math
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load_client import (  # noqa: E402
    Browser,
    Recorder,
    RequestFailed,
    forms,
    links,
)
from bench.load_server import (  # noqa: E402
    cpu_seconds,
    empty_cache,
    free_port,
    server_env,
    start_server,
    stop_server,
)
from bench.run import db_name, prepare, run_script, write_results  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results" / "load.json"
PASSWORD = "demo12345"  # noqa: S105 -- branches.demo.DEMO_PASSWORD, the demo accounts'
TARGET_RATIO = 0.5
LOGIN_CONCURRENCY = 16
APPROVE_SHARE = 0.33
TRIVIAL_URL = "/bench/trivial/"


# --- inside Django: who logs in as what ------------------------------------------------------


def plan() -> dict:
    import django

    django.setup()
    from branches.models import OrgUnit, Role, RoleAssignment, UnitType
    from evaluation.models import Assessment
    from evaluation.windows import fill_window

    secretaries = {}
    # a branch's (党支部) secretary: the ledger pages are a branch's (a committee's secretary,
    # e.g. the demo's committee_hz, browses as a reviewer would; its unit has no ledger: 404)
    branches = OrgUnit.objects.filter(secretary__isnull=False, unit_type=UnitType.BRANCH)
    for unit in branches.select_related("secretary"):
        mine = Assessment.objects.filter(unit=unit).select_related("period").order_by("-pk")
        draft = next(
            (a for a in mine if a.status == "draft" and not fill_window(a.period).check()[1]),
            None,
        )
        published = next((a for a in mine if a.status == "published"), None)
        secretaries[unit.secretary.username] = {
            "branch": unit.pk,
            "fill": draft.pk if draft else None,
            "assessment": published.pk if published else None,
        }
    reviewers = dict(
        RoleAssignment.objects.filter(role__in=[Role.REVIEWER, Role.PROVINCE_REVIEWER])
        .order_by("user__username")
        .values_list("user__username", "unit_id")
    )
    admins = list(
        RoleAssignment.objects.filter(role=Role.ADMIN).values_list("user__username", flat=True)
    )
    return {"secretaries": secretaries, "reviewers": reviewers, "admins": admins}


# --- the simulated users ---------------------------------------------------------------------


@dataclass
class User:
    name: str
    account: str
    kind: str  # "browse", "review", "assess"
    pages: list[tuple[str, str]]  # (page type, path), repeated for weight
    fill: int | None = None
    browser: Browser | None = None
    rng: random.Random = field(default_factory=random.Random)


def pages_of(account: str, the_plan: dict) -> list[tuple[str, str]]:
    common = [("dashboard 工作台", "/")] * 3 + [
        ("brand list", "/brands/"),
        ("brand wall", "/brands/showcase/"),
        ("evaluation index", "/evaluation/"),
        ("notifications", "/notifications/"),
    ]
    if account in the_plan["secretaries"]:
        s = the_plan["secretaries"][account]
        own = [
            ("ledger records", f"/ledger/branch/{s['branch']}/records/"),
            ("ledger roster", f"/ledger/branch/{s['branch']}/"),
            ("branch compliance", f"/ledger/branch/{s['branch']}/compliance/"),
        ]
        if s["assessment"]:
            own.append(("assessment detail", f"/evaluation/assessments/{s['assessment']}/"))
        return common + own
    if account in the_plan["reviewers"]:
        unit = the_plan["reviewers"][account]
        return common + [
            ("org list", "/org/"),
            ("org unit", f"/org/{unit}/"),
            ("brand review queue", "/brands/queue/"),
            ("assessment queue", "/evaluation/queue/"),
            ("committee compliance", f"/ledger/compliance/{unit}/"),
        ]
    return common + [("org list", "/org/"), ("brand coverage", "/brands/coverage/")]


def cast(args, the_plan: dict) -> list[User]:
    """`--users` users: `--reviewers` on the review queue, `--assessors` secretaries with an
    open self-assessment, the rest browsing as every demo account in turn."""
    reviewers = list(the_plan["reviewers"])
    assessors = [a for a, s in the_plan["secretaries"].items() if s["fill"]][: args.assessors]
    browsing = [*the_plan["secretaries"], *reviewers, *the_plan["admins"]]
    users = []
    for i in range(args.reviewers):
        account = reviewers[i % len(reviewers)]
        users.append(User(f"r{i}", account, "review", pages_of(account, the_plan)))
    for i, account in enumerate(assessors):
        fill = the_plan["secretaries"][account]["fill"]
        users.append(User(f"a{i}", account, "assess", pages_of(account, the_plan), fill))
    for i in range(args.users - len(users)):
        account = browsing[i % len(browsing)]
        users.append(User(f"b{i}", account, "browse", pages_of(account, the_plan)))
    for number, user in enumerate(users):
        user.rng = random.Random(number)
    return users


async def hit(rec: Recorder, user: User, page: str, path: str, fields=None, expect=200):
    """One request, recorded under `page`; the response if it had the expected status."""
    started = time.monotonic()
    try:
        if fields is None:
            response = await user.browser.get(path)
        else:
            response = await user.browser.post(path, fields)
    except RequestFailed as exc:
        rec.record(page, started, str(exc))
        return None
    if response.status == 200 and expect == 302:  # the form again: refused, said on the page
        rec.record(page, started)
        rec.refused[page] += 1
        return None
    if response.status != expect:
        rec.record(page, started, f"HTTP {response.status}")
        return None
    rec.record(page, started)
    return response


async def browse(rec: Recorder, user: User):
    page, path = user.rng.choice(user.pages)
    await hit(rec, user, page, path)


async def review(rec: Recorder, user: User):
    queue = await hit(rec, user, "brand review queue", "/brands/queue/")
    if queue is None or rec.over():
        return
    waiting = links(queue.text, r"/brands/\d+/")
    if not waiting:
        await hit(rec, user, "assessment queue", "/evaluation/queue/")
        return
    path = user.rng.choice(waiting)
    detail = await hit(rec, user, "brand detail", path)
    if detail is None or rec.over() or user.rng.random() > APPROVE_SHARE:
        return
    decision = next((f for f in forms(detail.text) if f.attrs.get("id") == "decision"), None)
    approve = [a for a in (decision.formactions if decision else []) if a.endswith("/approve/")]
    if not approve:
        return
    fields = [(k, v) for k, v in decision.fields if k != "comment"] + [("comment", "同意")]
    done = await hit(rec, user, "brand approve (POST)", approve[0], fields, expect=302)
    if done is not None and not rec.over():
        await hit(rec, user, "brand detail", done.location)


async def assess(rec: Recorder, user: User):
    if user.rng.random() < 0.5:
        return await browse(rec, user)
    url = f"/evaluation/assessments/{user.fill}/fill/"
    page = await hit(rec, user, "self-assessment form", url)
    if page is None or rec.over():
        return
    form = next((f for f in forms(page.text) if "expected_version" in f.names()), None)
    if form is None:
        rec.record("self-assessment form", time.monotonic(), "no form on the page")
        return
    done = await hit(
        rec, user, "self-assessment save (POST)", url, [*form.fields, ("save", "1")], 302
    )
    if done is not None and not rec.over():
        await hit(rec, user, "self-assessment form", done.location)


BEHAVIOUR = {"browse": browse, "review": review, "assess": assess}


async def trivial(rec: Recorder, user: User):
    await hit(rec, user, "trivial view", TRIVIAL_URL)


async def login(user: User, port: int, gate: asyncio.Semaphore) -> float:
    async with gate:
        started = time.monotonic()
        user.browser = Browser(port)
        page = await user.browser.get("/login/")
        form = next((f for f in forms(page.text) if "password" in f.names()), None)
        if page.status != 200 or form is None:
            raise SystemExit(f"login page of {user.account}: HTTP {page.status}, no form")
        fields = [(k, v) for k, v in form.fields if k not in ("username", "password")]
        fields += [("username", user.account), ("password", PASSWORD)]
        done = await user.browser.post("/login/", fields)
        if done.status != 302 or "sessionid" not in user.browser.cookies:
            raise SystemExit(f"login of {user.account} failed: HTTP {done.status}")
        return time.monotonic() - started


async def pause(rng: random.Random, think: float, rec: Recorder, first: bool = False) -> None:
    """A user's pause between two pages: uniform over [0, 2 × think], cut at the phase's end.

    A phase's first pause is what is left of a pause at a random moment (the forward
    recurrence time of that uniform pause: density (1 − x / 2T) / T), so the users' first
    requests arrive at the steady rate. Starting every user at once made a burst of 200
    requests at each phase's start that queued for seconds and was the whole p95 of a run
    with think time (bench/README.md, "Think time")."""
    seconds = pause_seconds(rng, think, first)
    await asyncio.sleep(max(0.0, min(seconds, rec.deadline - time.monotonic())))


def pause_seconds(rng: random.Random, think: float, first: bool = False) -> float:
    """A pause uniform over [0, 2 × think] (mean think); the first of a phase is the rest of
    such a pause caught at a random moment (inverse of its distribution: mean 2/3 × think)."""
    span = 2 * think
    return span * (1 - math.sqrt(1 - rng.random())) if first else rng.uniform(0, span)


async def run_phase(users: list[User], behaviour, seconds: float, think: float) -> Recorder:
    rec = Recorder()
    rec.deadline = rec.started + seconds

    async def loop(user: User):
        if think:  # caught at a random moment of its session: no burst at the phase's start
            await pause(user.rng, think, rec, first=True)
        while not rec.over():
            await behaviour(rec, user)
            if think:
                await pause(user.rng, think, rec)

    await asyncio.gather(*(loop(u) for u in users))
    return rec


# --- the run -----------------------------------------------------------------------------------


async def drive(args, users: list[User], port: int, master: int) -> dict:
    gate = asyncio.Semaphore(LOGIN_CONCURRENCY)
    started = time.monotonic()
    first = {}  # account -> the user who logs in for it
    for user in users:
        first.setdefault(user.account if not args.login_each else user.name, user)
    login_times = sorted(await asyncio.gather(*(login(u, port, gate) for u in first.values())))
    for user in users:
        if user.browser is None:  # another session of an account logged in above
            user.browser = Browser(port)
            user.browser.cookies = dict(first[user.account].browser.cookies)
    print(
        f"{len(first)} logins for {len(users)} users in {time.monotonic() - started:.1f} s "
        f"(median {login_times[len(login_times) // 2] * 1000:.0f} ms each)",
        flush=True,
    )

    async def mix(rec, user):
        await BEHAVIOUR[user.kind](rec, user)

    # Rounds alternate the mix and the floor, so a burst of load from something else on the
    # machine falls on both; each phase keeps its best round (other load only ever slows it).
    plan_ = [("warm-up", mix, args.warmup)]
    for _round in range(args.rounds):
        plan_ += [("mix", mix, args.duration), ("trivial", trivial, args.trivial_duration)]
    runs: dict[str, list[dict]] = {}
    for name, behaviour, seconds in plan_:
        if seconds <= 0:
            continue
        print(f"[{name}] {len(users)} users for {seconds:.0f} s …", flush=True)
        load_before, cpu_before, client_before = (
            os.getloadavg()[0],
            cpu_seconds(master),
            time.process_time(),
        )
        rec = await run_phase(users, behaviour, seconds, args.think)
        summary = rec.summary()
        summary.update(
            load_before=round(load_before, 2),
            load_after=round(os.getloadavg()[0], 2),
            server_cpu_ms_per_request=round(
                (cpu_seconds(master) - cpu_before) * 1000 / max(1, summary["requests"]), 1
            ),
            client_cpu_ms_per_request=round(
                (time.process_time() - client_before) * 1000 / max(1, summary["requests"]), 2
            ),
        )
        runs.setdefault(name, []).append({"summary": summary, "rows": rec.rows()})
    phases = {}
    for name, rounds in runs.items():
        phases[name] = max(rounds, key=lambda r: r["summary"]["throughput_rps"] or 0)
        phases[name]["summary"]["rounds_rps"] = [r["summary"]["throughput_rps"] for r in rounds]
        phases[name]["summary"]["rounds_cpu_ms"] = [
            r["summary"]["server_cpu_ms_per_request"] for r in rounds
        ]
    for user in users:
        user.browser.close()
    return phases


def ratios(phases: dict) -> dict:
    """mix / trivial by throughput (the target), and by the server's CPU per request: what the
    ratio would be with the CPU as the only limit, the figure other load on a shared machine
    moves least (the throughputs swing with it)."""
    if "mix" not in phases or "trivial" not in phases:
        return {}
    mix, floor = phases["mix"]["summary"], phases["trivial"]["summary"]
    return {
        "mix_rps": mix["throughput_rps"],
        "trivial_rps": floor["throughput_rps"],
        "throughput": round(mix["throughput_rps"] / floor["throughput_rps"], 4),
        "mix_cpu_ms": mix["server_cpu_ms_per_request"],
        "trivial_cpu_ms": floor["server_cpu_ms_per_request"],
        "cpu": round(floor["server_cpu_ms_per_request"] / mix["server_cpu_ms_per_request"], 4),
        "target": TARGET_RATIO,
    }


def render(phases: dict, think: float = 0) -> str:
    out = []
    for name in ("mix", "trivial"):
        if name not in phases:
            continue
        rows, s = phases[name]["rows"], phases[name]["summary"]
        out.append(f"\n{name}: {s['requests']} requests in {s['window_s']} s (best round)")
        if len(s["rounds_rps"]) > 1:
            out.append(f"rounds: {s['rounds_rps']} req/s, {s['rounds_cpu_ms']} ms CPU/request")
        header = (
            f"{'page type':32} {'ok':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        )
        out += [header, "-" * len(header)]
        for r in rows:
            out.append(
                f"{r['page']:32} {r['ok']:6} {r['errors']:6} {r.get('p50_ms', '—'):>8} "
                f"{r.get('p95_ms', '—'):>8} {r.get('p99_ms', '—'):>8}"
                + (f"  {r['error_kinds']}" if r["errors"] else "")
            )
        out.append(
            f"throughput {s['throughput_rps']} req/s; errors {s['errors']}; "
            f"server CPU {s['server_cpu_ms_per_request']} ms/request; "
            f"client CPU {s['client_cpu_ms_per_request']} ms/request; "
            f"server busy {s['server_cpu_ms_per_request'] * s['throughput_rps'] / 1000:.2f} of "
            f"{os.cpu_count()} cores; "
            f"load average {s['load_before']} → {s['load_after']}"
            + (
                f"; forms answered with the form again: {s['refused_forms']}"
                if s["refused_forms"]
                else ""
            )
        )
    r = ratios(phases)
    if r and think:  # the users' pauses set the throughput, not the server
        out.append(
            f"\n(with --think the throughput is the users' pace: the ratio is measured at "
            f"saturation, --think 0; server CPU per request: mix {r['mix_cpu_ms']} ms, "
            f"trivial {r['trivial_cpu_ms']} ms)"
        )
    elif r:
        verdict = "meets" if r["throughput"] >= TARGET_RATIO else "misses"
        out.append(
            f"\nmix {r['mix_rps']} req/s / trivial view {r['trivial_rps']} req/s = "
            f"{r['throughput']:.1%} ({verdict} the target ≥ {TARGET_RATIO:.0%})"
        )
        out.append(
            f"by server CPU per request: trivial {r['trivial_cpu_ms']} ms / mix "
            f"{r['mix_cpu_ms']} ms = {r['cpu']:.1%}"
        )
    return "\n".join(out)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--users", type=int, default=200, help="simulated users in all")
    add("--reviewers", type=int, default=50, help="of which work the brand review queue")
    add("--assessors", type=int, default=20, help="secretaries who also self-assess (≤ 20)")
    add("--duration", type=float, default=60, help="seconds of the recorded mix")
    add("--trivial-duration", type=float, default=30, help="seconds on the trivial view")
    add("--warmup", type=float, default=10, help="seconds of unrecorded mix first")
    add("--rounds", type=int, default=1, help="mix + trivial rounds (best of each kept)")
    add("--think", type=float, default=0, help="mean pause between a user's requests (s)")
    add("--workers", type=int, default=4, help="gunicorn worker processes")
    add("--threads", type=int, default=4, help="threads per worker (gthread)")
    add(
        "--worker-class",
        choices=("gthread", "sync"),
        default="gthread",
        help="gunicorn's worker class (sync: what Dockerfile runs; --threads is then ignored)",
    )
    add("--branches", type=int, default=1000, help="seed_demo --branches")
    add(
        "--login-each",
        action="store_true",
        help="every user logs in (default: once per demo account, its users share the session)",
    )
    add("--reuse", action="store_true", help="keep a bench_load seeded with that many branches")
    add("--redis-db", type=int, default=13, help="the Redis database of the cache (emptied)")
    add(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL",
    )
    add("--plan", action="store_true", help=argparse.SUPPRESS)  # internal
    add("--out", help=argparse.SUPPRESS)  # internal: where --plan writes
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if args.plan:
        Path(args.out).write_text(json.dumps(plan()))
        return 0
    port = free_port()
    env = server_env(args, port)
    setup_env = {**env, "LOG_LEVEL": "ERROR"}
    database = prepare(args.server, db_name("load"), args.branches, args.reuse, setup_env)
    users = cast(args, run_script(__file__, setup_env, "--plan"))
    kinds = {k: sum(u.kind == k for u in users) for k in BEHAVIOUR}
    print(f"users: {kinds} over {len({u.account for u in users})} demo accounts", flush=True)
    empty_cache(args)
    log = Path(tempfile.gettempdir()) / f"bench-load-gunicorn-{port}.log"
    server = start_server(args, env, port, log)
    print(
        f"gunicorn pid {server.pid} on 127.0.0.1:{port}, {args.worker_class} {args.workers}×"
        f"{args.threads if args.worker_class == 'gthread' else 1}",
        flush=True,
    )
    try:
        phases = asyncio.run(drive(args, users, port, server.pid))
    finally:
        stop_server(server)
        empty_cache(args)
    print(render(phases, args.think))
    errors = log.read_text().strip() if log.exists() else ""
    if errors:
        print(
            f"\ngunicorn's error log ({log}), last lines:\n" + "\n".join(errors.splitlines()[-15:])
        )
    write_results(
        RESULTS,
        {
            "args": {k: v for k, v in vars(args).items() if k not in ("plan", "out")},
            "database": database,
            "users": kinds,
            "load_average": os.getloadavg(),
            "cpus": os.cpu_count(),
            "ratio": ratios(phases),
            "phases": phases,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
