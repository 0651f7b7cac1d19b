#!/usr/bin/env python
"""State-change benchmark: one `Workflow.apply` (brands `services.approve`, at a city
committee, on to the province) against the bare ORM transition — lock the row, update the
status, insert the audit row.

    python bench/transitions.py [--n 40] [--rounds 5] [--show-queries]

Runs on the small bench database (bench/run.py seeds it: applications in review at every
level). Each transition runs in a transaction of the harness that is then rolled back (the
transition's own transaction is a savepoint inside it, on both sides), so both sides
always act on the same rows and every round starts alike (the commit itself and the work
`on_commit` queues — e-mail tasks, cache versions — are the same for both sides and left out).
Per side: queries per transition (CaptureQueriesContext) and the mean over the transitions of
each one's best time of `--rounds` (the two sides interleaved transition by transition, so load
from elsewhere on the machine falls on both alike).
Target (issue #19): approve / bare ≤ 2.
Results: stdout and bench/results/transitions.json.
"""

import argparse
import gc
import json
import math
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import SERVE_ENV, database_url, db_name, run_script, write_results  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results" / "transitions.json"
MAX_RATIO = 2.0


class Rollback(Exception):
    pass


def rolled_back(call):
    from django.db import transaction

    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        pass


def cases(n: int):
    """(application id, a reviewer at its level): applications in review at a city or
    directly-affiliated committee (an approval there moves on to the province)."""
    from branches.access import reviewers_at
    from branches.models import UnitType
    from brands.models import BrandApplication, Status

    found = []
    waiting = (
        BrandApplication.objects.filter(
            status=Status.IN_REVIEW, current_level__unit_type__in=[UnitType.CITY, UnitType.DIRECT]
        )
        .select_related("current_level")
        .order_by("pk")
    )
    reviewers = {}
    for app in waiting[: n * 3]:
        level = app.current_level_id
        if level not in reviewers:
            reviewers[level] = next(iter(reviewers_at(app.current_level)), None)
        if reviewers[level] is not None:
            found.append((app.pk, reviewers[level]))
        if len(found) == n:
            break
    return found


def bare(pk, actor):
    """The floor: lock, update the status, insert the audit row — in its own transaction, as
    `Workflow.apply` opens one (a savepoint here, inside the harness's)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from brands.models import BrandApplication, Status
    from workflow.models import AuditEntry

    with transaction.atomic():
        app = BrandApplication.objects.select_for_update().get(pk=pk)
        previous = app.status
        app.status = Status.IMPLEMENTING
        app.save(update_fields=["status"])
        AuditEntry.objects.create(
            actor=actor,
            content_type=ContentType.objects.get_for_model(BrandApplication),
            object_id=app.pk,
            object_repr=str(app)[:200],
            unit_id=app.unit_id,
            action="approve",
            from_state=previous,
            to_state=app.status,
        )


def approve(pk, actor):
    from brands import services

    services.approve_application(actor=actor, pk=pk, comment="同意")


def measure(n: int, rounds: int, show: bool) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    todo = cases(n)
    if not todo:
        sys.exit("no application in review at a committee: seed with bench/run.py first")
    sides = {"bare": bare, "approve": approve}
    out = {"transitions": len(todo)}
    for name, call in sides.items():
        pk, actor = todo[0]
        rolled_back(lambda call=call, pk=pk, actor=actor: call(pk, actor))  # warm-up
        with CaptureQueriesContext(connection) as captured:
            rolled_back(lambda call=call, pk=pk, actor=actor: call(pk, actor))
        queries = [q["sql"] for q in captured.captured_queries]
        # the transaction's SAVEPOINT/RELEASE/ROLLBACK are the harness's, not the transition's
        queries = [q for q in queries if not q.upper().startswith(("SAVEPOINT", "RELEASE"))]
        out[f"{name}_queries"] = len(queries)
        if show:
            out[f"{name}_sql"] = queries
    # Interleaved per transition (bare, then approve, on the same row) so that a burst of load
    # from another process on the machine hits both sides alike; each transition's time is its
    # best of the rounds (load only ever adds time), a side's figure the mean of those.
    best = {name: [math.inf] * len(todo) for name in sides}
    for name in sides:
        out[f"{name}_ms_rounds"] = []
    for _ in range(rounds):
        spent = dict.fromkeys(sides, 0.0)
        gc.collect()
        for i, (pk, actor) in enumerate(todo):
            for name, call in sides.items():
                started = time.perf_counter()
                rolled_back(lambda call=call, pk=pk, actor=actor: call(pk, actor))
                took = time.perf_counter() - started
                spent[name] += took
                best[name][i] = min(best[name][i], took)
        for name in sides:
            out[f"{name}_ms_rounds"].append(round(spent[name] * 1000 / len(todo), 3))
    for name in sides:
        out[f"{name}_ms"] = round(sum(best[name]) * 1000 / len(todo), 3)
    out["ratio"] = round(out["approve_ms"] / out["bare_ms"], 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="transitions per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = measure(args.n, args.rounds, args.show_queries)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False))
        return 0
    env = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, db_name("small"))}
    extra = ["--show-queries"] if args.show_queries else []
    r = run_script(
        __file__, env, "--child", "--n", str(args.n), "--rounds", str(args.rounds), *extra
    )
    for side in ("bare", "approve"):
        for sql in r.get(f"{side}_sql", []):
            print(f"  [{side}] {sql[:160]}")
    print(
        f"\n{r['transitions']} transitions × {args.rounds} rounds on {db_name('small')}:\n"
        f"  bare ORM (lock, update, audit): {r['bare_queries']} queries, {r['bare_ms']} ms\n"
        f"  brands approve (Workflow.apply): {r['approve_queries']} queries, {r['approve_ms']} ms\n"
        f"  approve / bare = {r['ratio']}× (target ≤ {MAX_RATIO}) → "
        f"{'PASS' if r['ratio'] <= MAX_RATIO else 'FAIL'}"
    )
    write_results(RESULTS, {"rounds": args.rounds, **r})
    return 0


if __name__ == "__main__":
    sys.exit(main())
