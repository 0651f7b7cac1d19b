#!/usr/bin/env python
"""Ledger benchmark (issue #16, Scale): the committee compliance page and a branch's ledger
list on a small and a large province, the online ledger scores of a period for every branch
against the raw SQL aggregate of the same figures, and the printed ledger's memory.

    python bench/ledger.py [--small 1000] [--large 100000] [--members 30] [--records 60]
                           [--requests 20] [--rounds 2] [--reuse] [--only pages|scores|docx]
                           [--no-refresh]

1. Databases `bench_ledger_small` / `bench_ledger_large`: migrated and seeded by
   `seed_demo --branches N` (bench/run.py's `prepare`), then, once, bulk SQL (`INSERT …
   SELECT generate_series`) adds `--members` members per active branch and `--records`
   recorded meetings per branch over the year so far (current templates in turn, dates spread
   over the months up to last month), and the attendance of `--listed` members at each
   meeting of last month (the scored period). Each step's rows and time are printed.
2. The compliance snapshot (`ledger.services.snapshots.refresh_compliance`) of this month,
   timed on each database (skip with `--no-refresh`): the committee page reads it.
   Pages, in a separate process per database (rounds alternate, best p95 of the rounds kept):
   the committee compliance page (`/ledger/compliance/<HZ>/`, the Hangzhou reviewer) and a
   branch's ledger list (`/ledger/branch/<pk>/records/`, Hangzhou and province reviewers).
   Same rule as bench/run.py: same query count, p95(large) / p95(small) ≤ 1.5.
3. Scores (large database): the online ledger rules of `evaluation.online` over last month
   for every branch, (a) as an assessment computes them — `online.scores` per branch, timed
   on a sample and extrapolated — and (b) `online.scores_of_units` for all the branches in
   one call, filtered on the province's path; against (c) one hand-written
   statement of the same figures (meetings per branch and key capped per frequency period,
   records, attendance listed and present, members, groups) with `fetchall()`. Target:
   (b) / (c) ≤ 2.
4. DOCX (small database): `ledger.printing.document.write_ledger` for a branch with 50 and
   200 recorded meetings (30 attendance rows, two distinct 1600×1200 photos each), tracemalloc
   peak. Flat when peak(200) ≤ 1.5 × peak(50).

Results: tables on stdout and bench/results/ledger.json (git-ignored). See bench/README.md.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.run import (  # noqa: E402
    SERVE_ENV,
    _connect,
    compare,
    database_url,
    merge_rounds,
    prepare,
    render,
    run_script,
    write_results,
)

RESULTS = BASE_DIR / "bench" / "results" / "ledger.json"
MAX_TIME_RATIO = 2.0
MAX_MEMORY_RATIO = 1.5
MARK = "BM"  # names of generated members begin with this: generation is done once
PAGES = [
    (
        "committee compliance HZ",
        lambda c: f"/ledger/compliance/{c.unit('HZ').pk}/",
        ["city_hz"],
    ),
    ("branch ledger list", lambda c: f"/ledger/branch/{c.bench_branch().pk}/records/", None),
]
USERS = ["city_hz", "province"]
SCORE_SAMPLE = 300


# --- generation (driver, plain SQL) ---------------------------------------------------------


def _today():
    import datetime
    from zoneinfo import ZoneInfo

    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def last_month():
    """(first day, last day) of last month, Asia/Shanghai: the scored period."""
    import datetime

    first_this = _today().replace(day=1)
    last = first_this - datetime.timedelta(days=1)
    return last.replace(day=1), last


def generate(server: str, name: str, members: int, records: int, listed: int) -> dict:
    """Members, records and last month's attendance, once per database (bulk SQL)."""
    connection = _connect(server, name)
    info = {}
    start, end = last_month()
    year_start = start.replace(month=1, day=1)
    months = start.month  # January … last month
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM ledger_member WHERE name LIKE %s", [MARK + "%"])
            if cur.fetchone()[0]:
                info["reused"] = True
                for table in ("member", "meetingrecord", "attendance"):
                    cur.execute(f"SELECT count(*) FROM ledger_{table}")  # noqa: S608 -- ours
                    info[table] = cur.fetchone()[0]
                return info
            cur.execute("BEGIN")  # all or nothing: a failed run leaves no half generation
            cur.execute("SELECT min(id) FROM branches_user")
            user_id = cur.fetchone()[0]
            step = time.monotonic()
            cur.execute(
                """
                INSERT INTO ledger_member (branch_id, party_group_id, name, gender, birth_date,
                    education, joined_on, full_member_on, status, post, phone, user_id,
                    is_active, left_on, created_at, updated_at)
                SELECT b.id, NULL, %s || b.id || '-' || g,
                    CASE WHEN g %% 3 = 0 THEN 'female' ELSE 'male' END,
                    date '1965-01-01' + ((g * 397 + b.id) %% 12000)::int,
                    'bachelor', date '2000-07-01' + ((g * 131) %% 8000)::int,
                    date '2001-07-01' + ((g * 131) %% 8000)::int, 'full', '', '138' ||
                    lpad(((b.id * 31 + g) %% 100000000)::text, 8, '0'),
                    NULL, true, NULL, now(), now()
                FROM branches_orgunit b CROSS JOIN generate_series(1, %s) g
                WHERE b.unit_type = 'branch' AND b.is_active
                """,
                [MARK, members],
            )
            info["members"] = cur.rowcount
            info["members_s"] = round(time.monotonic() - step, 1)
            print(f"[{name}] {cur.rowcount} members in {info['members_s']}s", flush=True)
            step = time.monotonic()
            # records: the current branch templates in turn, spread over January … last month
            cur.execute(
                """
                INSERT INTO ledger_meetingrecord (branch_id, party_group_id, template_id,
                    held_at, place, topic, host_id, recorder_id, minutes, resolutions,
                    steps_done, status, recorded_at, created_by_id, created_at, updated_at,
                    version)
                SELECT b.id, NULL, t.ids[1 + i %% array_length(t.ids, 1)],
                    (%s::date + make_interval(months => i * %s / %s,
                        days => (i * 7) %% 27, hours => 1 + i %% 12)) AT TIME ZONE
                        'Asia/Shanghai',
                    '会议室', '议题 ' || i, NULL, NULL, '', '', '[]', 'recorded', now(),
                    %s, now(), now(), 1
                FROM branches_orgunit b
                CROSS JOIN generate_series(0, %s - 1) i
                CROSS JOIN (SELECT array_agg(id ORDER BY id) ids FROM ledger_meetingtemplate
                            WHERE is_current AND owner_id IS NULL
                              AND attendees <> 'group') t
                WHERE b.unit_type = 'branch' AND b.is_active
                """,
                [year_start, months, records, user_id, records],
            )
            info["records"] = cur.rowcount
            info["records_s"] = round(time.monotonic() - step, 1)
            print(f"[{name}] {cur.rowcount} records in {info['records_s']}s", flush=True)
            step = time.monotonic()
            cur.execute(
                """
                INSERT INTO ledger_attendance (record_id, member_id, status, reason)
                SELECT r.id, m.id,
                    CASE WHEN (r.id + m.id) %% 10 = 0 THEN 'leave'
                         WHEN (r.id + m.id) %% 17 = 0 THEN 'absent' ELSE 'present' END,
                    CASE WHEN (r.id + m.id) %% 10 = 0 THEN '出差' ELSE '' END
                FROM ledger_meetingrecord r
                JOIN ledger_member m ON m.branch_id = r.branch_id AND m.is_active
                    AND m.name LIKE %s AND split_part(m.name, '-', 2)::int <= %s
                WHERE r.topic LIKE '议题 %%'
                  AND r.held_at >= (%s::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
                  AND r.held_at < (%s::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                """,
                [MARK + "%", listed, start, end],
            )
            info["attendance"] = cur.rowcount
            info["attendance_s"] = round(time.monotonic() - step, 1)
            print(f"[{name}] {cur.rowcount} attendance rows in {info['attendance_s']}s", flush=True)
            cur.execute("COMMIT")
            step = time.monotonic()
            for table in ("member", "meetingrecord", "attendance"):
                cur.execute(f"VACUUM (ANALYZE) ledger_{table}")
            info["vacuum_s"] = round(time.monotonic() - step, 1)
    finally:
        connection.close()
    return info


# --- the measuring processes (inside Django, one database) ----------------------------------


def _setup():
    import django

    django.setup()


def measure_refresh() -> dict:
    """`refresh_compliance` for the month the committee page shows (this month, Asia/Shanghai):
    the nightly rollup the page reads. Timed; its rows counted."""
    _setup()
    from ledger.models import ComplianceSnapshot
    from ledger.services.snapshots import refresh_compliance

    month = _today().replace(day=1)
    started = time.perf_counter()
    branches = refresh_compliance(month)
    seconds = time.perf_counter() - started
    return {
        "month": str(month),
        "branches": branches,
        "rows": ComplianceSnapshot.objects.filter(month=month).count(),
        "seconds": round(seconds, 1),
    }


def measure_pages(requests: int) -> list[dict]:
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.run import Context

    class LedgerContext(Context):
        def bench_branch(self):
            """The first active branch of Hangzhou (the same tree position on both sizes)."""
            from ledger.selectors.compliance import branches_in

            return branches_in(self.unit("HZ")).first()

    rows = []
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        context = LedgerContext(user)
        for name, url, only in PAGES:
            if only and username not in only:
                continue
            rows.append(_measure(client, name, username, url, context, requests))
    return rows


#: A page whose first request takes longer than this is not timed again: its one request
#: stands for p50 and p95 (a committee page folding every branch of a large city in Python
#: takes minutes; `requests` more would take the run past its budget).
SLOW_PAGE_S = 20


def _measure(client, name, username, url, context, requests):
    """bench/run.py's `measure_page`, except that the first request is timed: a slow page
    stops there (its queries counted on that request), a fast one goes on as bench/run.py."""
    import gc
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import percentile

    row = {"page": name, "user": username, "url": url(context), "error": None}
    gc.collect()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(row["url"])
        first = (time.perf_counter() - started) * 1000
    queries = captured.captured_queries
    row["status"] = response.status_code
    timings = [first]
    if first < SLOW_PAGE_S * 1000:
        # warm now (caches, templates): count the queries of a warm request, as bench/run.py
        with CaptureQueriesContext(connection) as captured:
            client.get(row["url"])
        queries = captured.captured_queries
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(row["url"])
            timings.append((time.perf_counter() - started) * 1000)
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    row.update(
        queries=len(queries),
        first_ms=round(first, 1),
        timed=len(timings),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        slowest_queries=[
            {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:400]} for q in slowest
        ],
    )
    return row


def _raw_sql(start, end) -> tuple[float, int]:
    """The same figures as the rules read, by hand, in one statement: per branch and template
    key the meetings held in each frequency period due in the period, capped at the template's
    required count and summed; the period's records (all / recorded); attendance listed /
    present; active members and groups. Rows fetched with `fetchall()`."""
    from django.db import connection

    from ledger.selectors.compliance import current_templates
    from ledger.selectors.counting import due_windows
    from ledger.spans import FREQUENCY_MONTHS, Span
    from workflow.windows import end_of_local_day, start_of_local_day

    templates = [t for t in current_templates() if not t.per_member]
    windows = due_windows(Span(start, end), templates)
    lo, hi = start_of_local_day(start), end_of_local_day(end)
    due = " OR ".join(["(t.key = %s AND r.held_at >= %s AND r.held_at < %s)"] * len(windows))
    due_params = [v for key, (a, b) in windows.items() for v in (key, a, b)]
    cap = " ".join(f"WHEN '{t.key}' THEN {t.required_count}" for t in templates)
    months = " ".join(f"WHEN '{t.key}' THEN {FREQUENCY_MONTHS[t.frequency]}" for t in templates)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            WITH b AS (SELECT id FROM branches_orgunit WHERE unit_type = 'branch' AND is_active),
            per_period AS (
              SELECT r.branch_id, t.key,
                     LEAST(count(*), CASE t.key {cap} ELSE 0 END) capped
              FROM ledger_meetingrecord r JOIN ledger_meetingtemplate t ON t.id = r.template_id
              WHERE r.status = 'recorded' AND ({due})
              GROUP BY r.branch_id, t.key, r.party_group_id,
                       (EXTRACT(YEAR FROM r.held_at AT TIME ZONE 'Asia/Shanghai')::int * 12
                        + EXTRACT(MONTH FROM r.held_at AT TIME ZONE 'Asia/Shanghai')::int - 1)
                       / CASE t.key {months} ELSE 1 END),
            held AS (SELECT branch_id, key, sum(capped) held FROM per_period
                     GROUP BY branch_id, key),
            rec AS (SELECT branch_id, count(*) total,
                           count(*) FILTER (WHERE status = 'recorded') recorded
                    FROM ledger_meetingrecord WHERE held_at >= %s AND held_at < %s
                    GROUP BY branch_id),
            att AS (
              SELECT r.branch_id, count(*) listed,
                     count(*) FILTER (WHERE a.status = 'present') present
              FROM ledger_attendance a JOIN ledger_meetingrecord r ON r.id = a.record_id
              WHERE r.status = 'recorded' AND r.held_at >= %s AND r.held_at < %s
              GROUP BY r.branch_id),
            mem AS (SELECT branch_id, count(*) n FROM ledger_member WHERE is_active
                    GROUP BY branch_id),
            grp AS (SELECT branch_id, count(*) n FROM ledger_partygroup WHERE is_active
                    GROUP BY branch_id)
            SELECT b.id, held.key, held.held, rec.total, rec.recorded, att.listed, att.present,
                   mem.n, grp.n
            FROM b LEFT JOIN held ON held.branch_id = b.id LEFT JOIN rec ON rec.branch_id = b.id
            LEFT JOIN att ON att.branch_id = b.id
            LEFT JOIN mem ON mem.branch_id = b.id LEFT JOIN grp ON grp.branch_id = b.id
            """,  # noqa: S608 -- keys and counts of our own templates
            [*due_params, lo, hi, lo, hi],
        )
        rows = cur.fetchall()
    return time.perf_counter() - started, len(rows)


def _indicators():
    """One stand-in indicator per ledger rule (10 points each): what a table binds."""
    from decimal import Decimal
    from types import SimpleNamespace

    from evaluation import online

    codes = [code for code in online.RULES if code.startswith("ledger_")]
    return [
        SimpleNamespace(pk=i, online_rule=code, max_points=Decimal(10))
        for i, code in enumerate(codes, start=1)
    ]


def measure_scores() -> dict:
    _setup()
    from types import SimpleNamespace

    from django.db import reset_queries

    from evaluation import online
    from ledger.selectors import compliance as selectors

    start, end = last_month()
    period = SimpleNamespace(starts_on=start, ends_on=end)
    indicators = _indicators()
    branches = list(selectors.branches_in(_root()))
    result = {"branches": len(branches), "rules": len(indicators), "period": f"{start}…{end}"}

    # (c) the raw SQL aggregate, best of three
    times = [_raw_sql(start, end) for _ in range(3)]
    result["sql_s"] = round(min(t for t, _n in times), 3)
    result["sql_rows"] = times[0][1]

    # (a) per branch, as an assessment does it today: a sample, extrapolated
    sample = branches[:: max(1, len(branches) // SCORE_SAMPLE)][:SCORE_SAMPLE]
    started = time.perf_counter()
    for branch in sample:
        online.scores(indicators, branch, period)
        reset_queries()
    per_branch = (time.perf_counter() - started) / len(sample)
    result["per_branch_ms"] = round(per_branch * 1000, 2)
    result["per_branch_all_s_estimated"] = round(per_branch * len(branches), 1)

    # (b) the product's batch path: online.scores_of_units for every branch of the province
    # in one call (`within`: the counts filter on the province's path, as the hand-written
    # statement scans each table once), without and with the meetings' dates in the basis
    root = _root()
    for label, with_dates in (("chunked", False), ("chunked_dates", True)):
        started = time.perf_counter()
        scored = len(
            online.scores_of_units(indicators, branches, period, with_dates=with_dates, within=root)
        )
        reset_queries()
        result[f"{label}_s"] = round(time.perf_counter() - started, 3)
    result["chunked_dates_ratio"] = round(result["chunked_dates_s"] / result["sql_s"], 2)
    result["chunked_branches"] = scored
    result["chunked_ratio"] = round(result["chunked_s"] / result["sql_s"], 2)
    result["per_branch_ratio"] = round(result["per_branch_all_s_estimated"] / result["sql_s"], 1)
    result["passed"] = result["chunked_ratio"] <= MAX_TIME_RATIO
    return result


def _root():
    from branches.models import OrgUnit

    return OrgUnit.objects.get_first_root_node()


def _photo(seed: int) -> bytes:
    """A distinct 1600×1200 JPEG (distinct bytes: python-docx would share identical ones)."""
    import io

    from PIL import Image, ImageDraw

    # noise, like a real photo (a flat colour would compress to nothing and flatter the file)
    image = Image.merge(
        "RGB", [Image.effect_noise((1600, 1200), 40 + (seed + k) % 20) for k in range(3)]
    )
    ImageDraw.Draw(image).text((40 + seed % 1000, 40 + seed % 800), f"photo {seed}", fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def measure_docx() -> dict:
    """Peak traced memory of writing a ledger of 50 and of 200 meetings, in a transaction
    rolled back afterwards (the database keeps nothing), photos in a temporary MEDIA_ROOT."""
    import tempfile

    with tempfile.TemporaryDirectory() as media:
        os.environ["MEDIA_ROOT"] = media
        _setup()
        return _docx_peaks()


def _docx_peaks() -> dict:
    import datetime
    import gc
    import tempfile
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from ledger.models import Attendance, MeetingPhoto, MeetingRecord, MeetingTemplate, Member
    from ledger.printing import content, document
    from ledger.selectors.compliance import branches_in

    result = {}
    with transaction.atomic():
        branch = branches_in(_root()).last()
        members = list(Member.objects.filter(branch=branch, is_active=True)[:30])
        template = MeetingTemplate.objects.get(is_current=True, key="theme-day")
        user_id = get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
        MeetingRecord.objects.filter(branch=branch).delete()
        first = datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC)
        records = MeetingRecord.objects.bulk_create(
            MeetingRecord(
                branch=branch,
                template=template,
                held_at=first + datetime.timedelta(days=n),
                place="会议室",
                topic=f"议题 {n}",
                minutes="会议记录。" * 40,
                resolutions="会议决议。" * 10,
                status="recorded",
                recorded_at=timezone.now(),
                created_by_id=user_id,
            )
            for n in range(200)
        )
        Attendance.objects.bulk_create(
            Attendance(record=r, member=m, status="present") for r in records for m in members
        )
        photos = []
        for r in records:
            for k in range(2):
                name = default_storage.save(
                    f"bench/{r.pk}-{k}.jpg", ContentFile(_photo(r.pk * 2 + k))
                )
                photos.append(MeetingPhoto(record=r, image=name, thumb=name))
        MeetingPhoto.objects.bulk_create(photos)
        for n in (50, 200):
            end = (first + datetime.timedelta(days=n - 1)).date()

            def write(work, n=n, end=end):
                return document.write_ledger(
                    Path(work) / "ledger.docx",
                    Path(work),
                    cover=content.cover(branch, "year", first.date()),
                    generated="bench",
                    roster=content.roster_rows(branch),
                    records=content.record_pages(branch, first.date(), end),
                    total=n,
                )

            with tempfile.TemporaryDirectory() as work:  # timed, untraced
                started = time.perf_counter()
                write(work)
                seconds = time.perf_counter() - started
            gc.collect()
            with tempfile.TemporaryDirectory() as work:  # traced: the peak
                tracemalloc.start()
                writer = write(work)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                size = (Path(work) / "ledger.docx").stat().st_size
                xml = len(writer.doc.element.xml.encode())
            result[str(n)] = {
                "records": writer.records,
                "photos": writer.photos,
                "peak_mb": round(peak / 2**20, 1),
                "seconds": round(seconds, 1),
                "file_mb": round(size / 2**20, 1),
                "document_xml_mb": round(xml / 2**20, 2),
            }
        transaction.set_rollback(True)
    result["ratio"] = round(result["200"]["peak_mb"] / result["50"]["peak_mb"], 2)
    result["passed"] = result["ratio"] <= MAX_MEMORY_RATIO
    return result


# --- the driver ------------------------------------------------------------------------------


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=30, help="members per branch")
    parser.add_argument("--records", type=int, default=60, help="recorded meetings per branch")
    parser.add_argument(
        "--listed", type=int, default=10, help="members on each attendance list of last month"
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", choices=["pages", "scores", "docx"])
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="measure the pages without refreshing this month's compliance snapshot first",
    )
    parser.add_argument(
        "--child", choices=["pages", "refresh", "scores", "docx"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def child(args) -> None:
    value = {
        "pages": lambda: measure_pages(args.requests),
        "refresh": measure_refresh,
        "scores": measure_scores,
        "docx": measure_docx,
    }[args.child]()
    Path(args.out).write_text(json.dumps(value, ensure_ascii=False, default=str))


def main(argv=None) -> int:
    args = parse(argv)
    if args.child:
        child(args)
        return 0
    envs, data = {}, {}
    for label, branches in (("small", args.small), ("large", args.large)):
        name = f"bench_ledger_{label}"
        envs[label] = {**os.environ, **SERVE_ENV, "DATABASE_URL": database_url(args.server, name)}
        data[label] = prepare(args.server, name, branches, args.reuse, envs[label])
        data[label]["ledger"] = generate(args.server, name, args.members, args.records, args.listed)
        print(f"[{name}] generated: {data[label]['ledger']}", flush=True)

    rows, scores, docx, refresh = [], None, None, {}
    if args.only in (None, "pages") and not args.no_refresh:
        for label in envs:
            print(f"[bench_ledger_{label}] refreshing this month's compliance …", flush=True)
            refresh[label] = run_script(__file__, envs[label], "--child", "refresh")
            r = refresh[label]
            print(
                f"refresh_compliance({r['month']}): {r['branches']} branches, "
                f"{r['rows']} snapshot rows in {r['seconds']} s",
                flush=True,
            )
    if args.only in (None, "pages"):
        rounds = {label: [] for label in envs}
        for number in range(1, args.rounds + 1):
            for label in envs:
                print(f"[round {number}/{args.rounds}] bench_ledger_{label}: pages …", flush=True)
                rounds[label].append(
                    run_script(
                        __file__, envs[label], "--child", "pages", "--requests", str(args.requests)
                    )
                )
        rows = compare(*(merge_rounds(rounds[label]) for label in envs))
        print()
        print(render(rows))
    if args.only in (None, "scores"):
        print("\n[bench_ledger_large] online ledger scores of last month …", flush=True)
        scores = run_script(__file__, envs["large"], "--child", "scores")
        print(
            f"scores: {scores['branches']} branches × {scores['rules']} ledger rules: "
            f"raw SQL {scores['sql_s']} s; online.scores_of_units, one call "
            f"{scores['chunked_s']} s "
            f"(ratio {scores['chunked_ratio']}×, target ≤ {MAX_TIME_RATIO}: "
            f"{'PASS' if scores['passed'] else 'FAIL'}); with the meetings' dates "
            f"{scores['chunked_dates_s']} s ({scores['chunked_dates_ratio']}×); "
            "per branch as an assessment does "
            f"{scores['per_branch_ms']} ms → {scores['per_branch_all_s_estimated']} s for all "
            f"({scores['per_branch_ratio']}×)"
        )
    if args.only in (None, "docx"):
        print("\n[bench_ledger_small] printed ledger memory …", flush=True)
        docx = run_script(__file__, envs["small"], "--child", "docx")
        for n in ("50", "200"):
            d = docx[n]
            print(
                f"docx {n} records: {d['photos']} photos, peak {d['peak_mb']} MB, "
                f"{d['seconds']} s, file {d['file_mb']} MB"
            )
        print(
            f"docx peak 200/50: {docx['ratio']}× (flat ≤ {MAX_MEMORY_RATIO}: "
            f"{'PASS' if docx['passed'] else 'FAIL'})"
        )
    write_results(
        RESULTS,
        {
            "args": vars(args),
            "data": data,
            "refresh": refresh,
            "rows": rows,
            "scores": scores,
            "docx": docx,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
