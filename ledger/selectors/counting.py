"""The counting rule of compliance, done by the database: how many meetings each branch held
in each frequency period due in a span, capped at the template's required count.

`compliance()` (the pages, the nightly rollup, the work list, the reminders) and the online
scores all read these figures, so the rule lives here once:

* only recorded meetings count (drafts do not), under any version of a template's key, and
  only those held inside a frequency period that falls due in the span (`Span.due_buckets`):
  党课 in January counts for a March page, because Q1 ends in March;
* held is counted per (branch, key, party group, frequency period) and capped at the current
  template's `required_count` before it is summed — three 支委会 in January do not make up
  for none in February, and each 党小组's meetings count for that group only;
* 谈心谈话 (`per_member`) counts, per member, the talks they were present at, capped the same;
* 主题党日 "1+N": a branch's meetings count the branch's own records only — a party group's
  activity attached to the theme day (`MeetingRecord.theme_day`) is the group's record and
  counts for its group under its own template, never as a second branch theme day; the "N"
  is the number of groups with a recorded activity attached (`theme_day_groups`).

The cap and the sum are levels of aggregation: the inner `GROUP BY` (per local month,
`_held_months`) and the outer ones — months into frequency periods and the cap, per key, then
the sum (`_summed`) — are plain SQL written here (the ORM's build and compile of the same text
on every request cost more than the rest of a page's queries); the month of a meeting is taken
in Asia/Shanghai by the backend's own expression of it (`connection.ops`, as the ORM's). A
fixed number of queries and rows per (branch, key, period), whatever the number of records:
the Python that follows only adds up a handful of rows per branch."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    Attendance,
    AttendanceStatus,
    Attendees,
    MeetingKind,
    MeetingRecord,
    MeetingTemplate,
    Member,
    PartyGroup,
    RecordStatus,
)
from ..spans import FREQUENCY_MONTHS, Span, month_start
from .branch_scope import Branches


def due_windows(span: Span, templates) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Per template key, the instants from the first due period's start to the last one's
    end: records held outside them are counted for no period of the span."""
    windows = {}
    for t in templates:
        buckets = span.due_buckets(t.frequency)
        if not buckets:
            continue
        months = FREQUENCY_MONTHS[t.frequency]
        first = month_start(buckets[0] * months)
        after = month_start((buckets[-1] + 1) * months)
        windows[t.key] = (
            start_of_local_day(first),
            end_of_local_day(after - datetime.timedelta(days=1)),
        )
    return windows


def covering_windows(spans, templates) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Per template key, from the earliest start to the latest end of its due windows in the
    spans: one count over them holds every period due in any of the spans (a window starts
    and ends on a period's bounds, so no due period is cut)."""
    covering = {}
    for span in spans:
        for key, (start, end) in due_windows(span, templates).items():
            if key in covering:
                start, end = min(start, covering[key][0]), max(end, covering[key][1])
            covering[key] = (start, end)
    return covering


def due_in(span: Span, held: dict, templates) -> dict:
    """`held` ({(branch id, key, …): {period: n}}, counted over several spans' windows)
    narrowed to the periods due in `span`: what `held_per_period` counts for that span
    alone."""
    due = {t.key: span.due_buckets(t.frequency) for t in templates}
    narrowed = defaultdict(dict)
    for key, periods in held.items():
        buckets = due.get(key[1], ())
        for period, n in periods.items():
            if period in buckets:
                narrowed[key][period] = n
    return narrowed


def _keys_by(templates, value_of) -> dict:
    """{value: [template keys]}: the templates grouped by what an expression gives them, so a
    CASE or a filter names each value once (`key IN (…)`) instead of once per key — the same
    SQL meaning (a key is current once), less for the ORM to build per request."""
    groups = {}
    for t in templates:
        groups.setdefault(value_of(t), []).append(t.key)
    return groups


def _case_by_key(templates, value_of, then: str, default: str) -> tuple[str, list]:
    """`CASE WHEN k IN (…) THEN <then % value> … ELSE <default> END` over the (few) current
    template keys, as SQL text and its params: what the outer levels compute per key."""
    sql, params = [], []
    for value, keys in _keys_by(templates, value_of).items():
        sql.append(f"WHEN k IN ({', '.join(['%s'] * len(keys))}) THEN {then}")
        params += [*keys, value]
    return f"CASE {' '.join(sql)} ELSE {default} END", params


def in_due_windows(windows, prefix="") -> Q:
    """Records of each key held inside its due window (`due_windows`); keys sharing a window
    (a frequency's) in one `IN`."""
    due = Q(pk__in=[])
    by_window = {}
    for key, window in windows.items():
        by_window.setdefault(window, []).append(key)
    for (start, end), keys in by_window.items():
        due |= Q(
            **{f"{prefix}template__key__in": keys, f"{prefix}held_at__gte": start},
            **{f"{prefix}held_at__lt": end},
        )
    return due


#: The outer grouping of `_summed`: per (branch, key, period), per group too, or per (branch,
#: key) over all the periods (what a score reads: the capped counts added up).
BY_PERIOD, BY_GROUP, IN_TOTAL = "b, k, p", "b, k, g, p", "b, k"


def _summed(sql: str, params: list, templates, columns: str) -> list[tuple]:
    """The counts of the inner aggregate (`sql`: `n` per b, k, g, m and local month `mi`)
    added up per frequency period (`mi // months` of the key: `p`), capped at the key's
    required count, then summed per `columns` (branch, key[, group], period)."""
    period, period_params = _case_by_key(
        templates, lambda t: FREQUENCY_MONTHS[t.frequency], "mi / %s", "-1"
    )
    cap, cap_params = _case_by_key(templates, lambda t: t.required_count, "%s", "0")
    with connection.cursor() as cursor:
        cursor.execute(
            # `columns` is one of the three constants above; `sql` `_held_months`', with its
            # params; the CASEs' text is ours, their keys and numbers params
            f"SELECT {columns}, SUM(capped) FROM ("  # noqa: S608  # nosec B608
            f"SELECT b, k, g, p, CASE WHEN SUM(n) > {cap} THEN {cap} ELSE SUM(n) END AS capped"
            f" FROM (SELECT b, k, g, m, {period} AS p, n FROM ({sql}) AS months) AS periods"
            f" GROUP BY b, k, g, m, p) AS counted GROUP BY {columns}",
            [*cap_params, *cap_params, *period_params, *params],
        )
        return cursor.fetchall()


def held_per_period(which: Branches, span: Span, templates, *, per_group: bool = False) -> dict:
    """{(branch id, key): {frequency period: meetings counted, capped}} for the branches
    `which`: one query (谈心谈话's members counted in it when it falls due). `per_group`:
    keyed by (branch id, key, party group id) instead — each group's own figures (党小组会)."""
    windows = due_windows(span, templates)
    return _held_periods(which, windows, templates, BY_GROUP if per_group else BY_PERIOD)


def held_per_period_in(which: Branches, spans, templates) -> list[dict]:
    """`held_per_period` of each of `spans`, in the same order, from one count over their
    due windows together (`covering_windows`), then narrowed to each span's due periods in
    Python (`due_in`): a page showing the month, the quarter and the year asks once."""
    if len(spans) == 1:
        return [held_per_period(which, spans[0], templates)]
    held = _held_periods(which, covering_windows(spans, templates), templates, BY_PERIOD)
    return [due_in(span, held, templates) for span in spans]


def _held_periods(which: Branches, windows, templates, columns: str) -> dict:
    held = defaultdict(dict)
    for *key, period, n in _held_rows(which, windows, templates, columns):
        held[tuple(key)][period] = int(n)
    return held


def held_totals(which: Branches, span: Span, templates) -> dict[tuple[int, str], int]:
    """{(branch id, key): meetings counted, capped per frequency period, added up}: what
    `held_per_period` counts, summed over the periods by the database (a score reads the
    total, not each period; fewer rows over a quarter or a year)."""
    windows = due_windows(span, templates)
    return {(b, k): int(n) for b, k, n in _held_rows(which, windows, templates, IN_TOTAL)}


def _held_rows(which: Branches, windows, templates, columns: str) -> list[tuple]:
    """The inner level (`_held_months`), folded by `_summed` into frequency periods, capped
    and summed."""
    meetings = [t for t in templates if t.key in windows and not t.per_member]
    talks = [t for t in templates if t.key in windows and t.per_member]
    if (not meetings and not talks) or which.none:
        return []
    sql, params = _held_months(which, windows, meetings, talks)
    return _summed(sql, params, [*meetings, *talks], columns)


def _held_months(which: Branches, windows, meetings, talks) -> tuple[str, list]:
    """Per (branch, key, group or member, local month) the meetings held (`n`), as SQL text
    and params: the recorded meetings of `meetings`' keys held in their due windows — a
    group's record only under a group template (a branch meeting's figure is the branch's
    own records: the "1" of a theme day's "1+N", whatever is attached to it) — and, per
    member, the recorded talks of `talks`' keys each member was present at (a record lies in
    one month: its distinct count per month adds up per period); the two stacked with UNION
    ALL (the same columns, their keys apart).

    Written here rather than built by the ORM on every request for the same text (the ORM's
    build and compile of it was half of a committee page's count). The local month is the
    backend's own expression of the zone (`connection.ops`, as the ORM's `Extract` takes it:
    Asia/Shanghai on PostgreSQL and SQLite alike), the instants the backend's adapted ones."""
    ops = connection.ops
    quote = ops.quote_name
    record, template, attendance = (
        quote(model._meta.db_table) for model in (MeetingRecord, MeetingTemplate, Attendance)
    )
    join, where, where_params = which.sql(
        "r.branch_id", MeetingRecord._meta.get_field("branch").related_model._meta.db_table
    )
    zone = timezone.get_current_timezone_name()
    year, year_params = ops.datetime_extract_sql("year", "r.held_at", (), zone)
    month, month_params = ops.datetime_extract_sql("month", "r.held_at", (), zone)
    # EXTRACT answers numeric on PostgreSQL: cast, so the divisions above it are integer ones
    month_index = f"CAST({year} AS integer) * 12 + CAST({month} AS integer) - 1"
    parts, params = [], []
    for rows, select, counted, level, level_params in (
        (
            meetings,
            f"r.party_group_id AS g, NULL AS m, {month_index} AS mi, COUNT(r.id) AS n"
            f" FROM {record} r",
            "GROUP BY 1, 2, 3, 5",
            " AND (r.party_group_id IS NULL OR t.attendees = %s)",
            [Attendees.GROUP],
        ),
        (
            talks,
            f"NULL AS g, a.member_id AS m, {month_index} AS mi,"
            f" COUNT(DISTINCT a.record_id) AS n FROM {attendance} a"
            f" INNER JOIN {record} r ON r.id = a.record_id",
            "GROUP BY 1, 2, 4, 5",
            " AND a.status = %s",
            [AttendanceStatus.PRESENT],
        ),
    ):
        if not rows:
            continue
        due, due_params = _in_windows_sql({t.key: windows[t.key] for t in rows})
        parts.append(
            f"SELECT r.branch_id AS b, t.{quote('key')} AS k, {select}"
            f" INNER JOIN {template} t ON t.id = r.template_id{join}"
            f" WHERE {due} AND {where} AND r.status = %s{level} {counted}"
        )
        params += [
            *year_params,
            *month_params,
            *due_params,
            *where_params,
            RecordStatus.RECORDED,
            *level_params,
        ]
    return " UNION ALL ".join(parts), params


def _in_windows_sql(windows) -> tuple[str, list]:
    """`in_due_windows` as SQL text over `r` (a record) and `t` (its template), and params."""
    by_window = {}
    for key, window in windows.items():
        by_window.setdefault(window, []).append(key)
    adapt = connection.ops.adapt_datetimefield_value
    tests, params = [], []
    for (start, end), keys in by_window.items():
        tests.append(
            f"(r.held_at >= %s AND r.held_at < %s AND t.{connection.ops.quote_name('key')}"
            f" IN ({', '.join(['%s'] * len(keys))}))"
        )
        params += [adapt(start), adapt(end), *keys]
    return f"({' OR '.join(tests)})", params


@dataclass(frozen=True)
class RecordRef:
    """A meeting record a figure counts, as a page links it: id, local date, template name."""

    pk: int
    date: datetime.date
    name: str
    recorded: bool = True


def records_behind(which: Branches, span: Span, templates) -> tuple[dict, dict]:
    """The records behind the figures, by date, in one query: ({(branch id, key): the
    recorded meetings counted — for 谈心谈话 those its members were counted from}, {branch id:
    every record held in the span, drafts included})."""
    return records_behind_in(which, [span], templates)[0]


def records_behind_in(which: Branches, spans, templates) -> list[tuple[dict, dict]]:
    """`records_behind` of each of `spans`, in the same order, from one query over them all
    (their due windows together, and from the first span's start to the last one's end)."""
    each = [
        (start_of_local_day(s.start), end_of_local_day(s.end), due_windows(s, templates))
        for s in spans
    ]
    start, end = min(e[0] for e in each), max(e[1] for e in each)
    covering = covering_windows(spans, templates)
    result = [(defaultdict(list), defaultdict(list)) for _ in spans]
    rows = (
        MeetingRecord.objects.filter(
            in_due_windows(covering) | Q(held_at__gte=start, held_at__lt=end), which.q()
        )
        .values_list("pk", "branch_id", "template__key", "template__name", "status", "held_at")
        .order_by("held_at", "pk")
    )
    zone = timezone.get_current_timezone()  # `timezone.localdate`, its zone looked up once
    for pk, branch_id, key, name, status, held_at in rows:
        ref = RecordRef(pk, held_at.astimezone(zone).date(), name, status == RecordStatus.RECORDED)
        for (counted, in_span), (first, after, windows) in zip(result, each, strict=True):
            if first <= held_at < after:
                in_span[branch_id].append(ref)
            window = windows.get(key)
            if ref.recorded and window and window[0] <= held_at < window[1]:
                counted[(branch_id, key)].append(ref)
    return result


def branch_sizes(which: Branches, span: Span) -> dict[int, dict]:
    """Per branch: active party groups and members (what the required counts multiply), and
    the span's records — all and recorded (drafts are the rest). One query: three grouped
    counts, each over its own table, stacked with UNION ALL (not a join of groups × members
    × records)."""
    return branch_sizes_in(which, [span])[0]


def branch_sizes_in(which: Branches, spans, *, records: bool = True) -> list[dict[int, dict]]:
    """`branch_sizes` of each of `spans`, in the same order, in one query: the groups and
    members once, a grouped count of the records per span (`records=False`: none, and the
    records' figures are None)."""
    rows = [] if which.none else _sizes_rows(which, spans if records else [])
    common = defaultdict(lambda: {"groups": 0, "members": 0})
    spans_records = [{} for _ in spans]
    for branch_id, kind, n, recorded in rows:
        if kind in ("groups", "members"):
            common[branch_id][kind] = n
        else:
            spans_records[int(kind.rpartition(":")[2])][branch_id] = (n, recorded)
    none = (0, 0) if records else (None, None)  # None: not counted
    empty = {"groups": 0, "members": 0, "records_total": none[0], "records_recorded": none[1]}
    result = []
    for in_span in spans_records:
        sizes = defaultdict(lambda: dict(empty))
        for branch_id in common.keys() | in_span.keys():
            size = sizes[branch_id]
            size.update(common.get(branch_id, ()))
            size["records_total"], size["records_recorded"] = in_span.get(branch_id, none)
        result.append(sizes)
    return result


def _sizes_rows(which: Branches, spans) -> list[tuple]:
    """(branch id, kind, n, recorded) rows: the active party groups ("groups") and members
    ("members") per branch, and per span i its records ("records_total:i": all, and recorded)
    — grouped counts, each over its own table, stacked with UNION ALL (not a join of groups ×
    members × records). Plain SQL, as `_held_months`: the ORM built the same text again on
    every request for more than the statement costs."""
    quote = connection.ops.quote_name
    unit_table = MeetingRecord._meta.get_field("branch").related_model._meta.db_table
    join, where, where_params = which.sql("x.branch_id", unit_table)
    parts, params = [], []
    for model, kind in ((PartyGroup, "groups"), (Member, "members")):
        parts.append(
            f"SELECT x.branch_id, %s, COUNT(x.id), 0 FROM {quote(model._meta.db_table)} x{join}"  # noqa: S608  # nosec B608
            f" WHERE {where} AND x.is_active = %s GROUP BY x.branch_id"
        )
        params += [kind, *where_params, True]
    adapt = connection.ops.adapt_datetimefield_value
    for i, span in enumerate(spans):
        parts.append(
            "SELECT x.branch_id, %s, COUNT(x.id), COUNT(CASE WHEN x.status = %s THEN x.id END)"  # noqa: S608  # nosec B608
            f" FROM {quote(MeetingRecord._meta.db_table)} x{join} WHERE {where}"
            " AND x.held_at >= %s AND x.held_at < %s GROUP BY x.branch_id"
        )
        params += [
            f"records_total:{i}",
            RecordStatus.RECORDED,
            *where_params,
            adapt(start_of_local_day(span.start)),
            adapt(end_of_local_day(span.end)),
        ]
    with connection.cursor() as cursor:
        # the tables' names are the models', the filters ours; every value a param
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def theme_day_groups(which: Branches, span: Span | None = None, *, ids=()) -> dict[int, int]:
    """主题党日 "1+N": {theme day record id: N} — the party groups with a recorded activity of
    their own attached to the branch's theme day, each group once however many records it
    attached — for the theme days held in `span` (or these record `ids`). One query, a row
    per theme day."""
    days = MeetingRecord.objects.filter(
        which.q(), template__kind=MeetingKind.THEME_DAY, party_group__isnull=True
    )
    if span is not None:
        days = days.filter(
            held_at__gte=start_of_local_day(span.start), held_at__lt=end_of_local_day(span.end)
        )
    if ids:
        days = days.filter(pk__in=list(ids))
    rows = days.annotate(
        n=Count(
            "group_activities__party_group",
            filter=Q(group_activities__status=RecordStatus.RECORDED),
            distinct=True,
        )
    ).values_list("pk", "n")
    return dict(rows.order_by())
