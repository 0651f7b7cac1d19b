"""Compliance (按期开展情况): for each current template that applies to a branch, how many
meetings were due in a span and how many were held, and how well members attended.

Everything is counted by the database: the meetings held per branch, template key and
frequency period, capped at the template's required count (the counting rule:
`counting.held_per_period` — three 支委会 in January do not make up for none in February),
attendance with filtered `Count`s. Python then only multiplies the required counts and adds up
a handful of rows per branch. A fixed number of queries, whatever the number of branches or
records.

* Drafts are not held meetings; records under older versions of a template count for its key.
* 党小组会 (attendees "党小组") is required once per active party group, and each group's
  meetings count for that group only. 谈心谈话 (`per_member`) is required per active member
  and counted as the members who attended one.
* Attendance rate = present / listed (leave counts as not present: 应到 includes them)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q
from django.utils.functional import cached_property

from branches.models import OrgUnit, UnitType
from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    Attendance,
    AttendanceStatus,
    Attendees,
    MeetingRecord,
    MeetingTemplate,
    RecordStatus,
)
from ..spans import Span
from . import counting
from .counting import RecordRef


@dataclass
class Row:
    """One template at one branch in one span."""

    template: MeetingTemplate
    required: int = 0
    held: int = 0
    #: The recorded meetings counted, by date (same reads; 谈心谈话: those its members
    #: were counted from).
    records: tuple[RecordRef, ...] = ()
    #: Required in each frequency period, and held per due period (`month_index // months`
    #: → meetings counted, capped): what the annual work list reads per task.
    per_period: int = 0
    periods: dict[int, int] = field(default_factory=dict)

    @property
    def dates(self) -> list[datetime.date]:
        """Local dates of the recorded meetings counted, once each (from `records`; none for
        谈心谈话, whose figure counts members, not meetings)."""
        if self.template.per_member:
            return []
        return sorted({r.date for r in self.records})

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)

    @property
    def kind(self) -> str:
        return self.template.kind


class Rates:
    """The two rates every compliance figure shows, from the counts it carries (`held`,
    `required`, `attendance_present`, `attendance_listed`)."""

    @property
    def rate(self) -> Decimal | None:
        return percent(self.held, self.required)

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.attendance_present, self.attendance_listed)


@dataclass
class BranchCompliance(Rates):
    """One branch's figures in a span. Its sums (`required`, `held`, `is_behind`) are added up
    by the fold as it counts; its `rows` (a `Row` per template that applies) are built when
    read — a committee's page reads the sums of a hundred branches and the rows of none."""

    branch: OrgUnit
    span: Span
    #: Per template that applies: (template, required, held, per period, periods, records),
    #: what `rows` are made of.
    lines: list[tuple] = field(default_factory=list, repr=False)
    #: The rows' sums: `required`, `held` (capped at the required), and whether a meeting is
    #: still missing (`still_due` is not empty).
    required: int = 0
    held: int = 0
    is_behind: bool = False
    #: None: not counted (`attendance=False`: a reader of the meetings' figures only).
    attendance_listed: int | None = 0
    attendance_present: int | None = 0
    #: In the span, drafts included; None: not counted (`record_counts=False`).
    records_total: int | None = 0
    records_recorded: int | None = 0
    #: Every record in the span, drafts included, by date (`with_dates` reads only).
    span_records: tuple[RecordRef, ...] = ()

    @cached_property
    def rows(self) -> list[Row]:
        return [
            Row(t, required=required, held=held, records=records, per_period=n, periods=periods)
            for t, required, held, n, periods, records in self.lines
        ]

    @property
    def due_rows(self) -> list[Row]:
        return [r for r in self.rows if r.required]

    @property
    def still_due(self) -> list[Row]:
        return [r for r in self.rows if r.missing] if self.is_behind else []


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def current_templates() -> list[MeetingTemplate]:
    """All current templates with their owner's path (a short list: the province's and a few
    per committee); which apply to a branch is a prefix test on paths."""
    return list(
        MeetingTemplate.objects.filter(is_current=True)
        .select_related("owner")
        .order_by("kind", "name", "pk")
    )


def applies_to(template: MeetingTemplate, branch: OrgUnit) -> bool:
    return template.owner is None or branch.path.startswith(template.owner.path)


@dataclass
class Counts:
    """What the database counted for a batch of branches in a span (`count`): the folds
    (`compliance`'s rows, `scoring.scoring_figures`' plain figures) read these."""

    templates: list[MeetingTemplate]
    #: Per template, read once: who owns it (a path prefix; "" for the province's), what
    #: multiplies its count ("groups", "members" or None), how many of its periods fall due.
    plan: list[tuple[MeetingTemplate, str, str | None, int]]
    sizes: dict[int, dict]
    #: {(branch id, key): {period: held}}, or with `totals` {(branch id, key): held}.
    held: dict
    #: {branch id: (listed, present)} at the span's recorded meetings; None: not counted.
    attendance: dict[int, tuple[int, int]] | None
    #: `with_dates`: the records behind the figures (`counting.records_behind`).
    counted: dict = field(default_factory=dict)
    in_span: dict = field(default_factory=dict)
    #: False: the span's records were not counted (`record_counts=False`).
    record_counts: bool = True

    EMPTY_SIZE = {"groups": 0, "members": 0, "records_total": 0, "records_recorded": 0}
    NOT_COUNTED = {"groups": 0, "members": 0, "records_total": None, "records_recorded": None}


def count(
    branches, span: Span, *, with_dates: bool = False, within=None, totals: bool = False
) -> Counts:
    """The queries of `compliance()` (see there), without the fold. `totals`: the meetings
    held summed over the frequency periods by the database (`counting.held_totals`)."""
    return count_in(branches, [span], with_dates=with_dates, within=within, totals=totals)[0]


def count_in(
    branches,
    spans,
    *,
    with_dates: bool = False,
    within=None,
    totals: bool = False,
    attendance: bool = True,
    record_counts: bool = True,
    sizes: dict | None = None,
) -> list[Counts]:
    """`count` of each of `spans` (in their order) with the queries of one: the meetings held
    are counted once over all the spans' due periods and handed to each span for its own
    (`counting.held_per_period_in`); sizes, attendance and the records behind are grouped per
    span in the same statements. `totals` (a score's sums): one span only.

    `attendance=False` leaves the attendance query out, `record_counts=False` the counts of
    the span's records (all and recorded): readers of the meetings' figures only (the
    工作台, the branch page) spend no work on what they do not show; the folds then carry
    None for them. With `record_counts=False`, `sizes` (`counting.branch_sizes_in(...,
    records=False)`: groups and members, the same for every span) already read by the caller
    are not counted again."""
    which = _which(branches, within)
    templates = current_templates()
    if sizes is not None and not record_counts:
        sizes = [sizes] * len(spans)
    else:
        sizes = counting.branch_sizes_in(which, spans, records=record_counts)
    if totals:
        [span] = spans
        held = [counting.held_totals(which, span, templates)]
    else:
        held = counting.held_per_period_in(which, spans, templates)
    if with_dates:
        behind = counting.records_behind_in(which, spans, templates)
    else:
        behind = [({}, {})] * len(spans)
    attendance = _attendance(which, spans) if attendance else [None] * len(spans)
    return [
        Counts(
            templates,
            _plan(templates, span),
            sizes[i],
            held[i],
            attendance[i],
            *behind[i],
            record_counts=record_counts,
        )
        for i, span in enumerate(spans)
    ]


def _which(branches, within) -> counting.Branches:
    if within is not None:
        return counting.Branches.under_unit(within)
    return counting.Branches(ids=tuple(b.pk for b in branches))


def _plan(templates, span: Span) -> list:
    return [
        (
            t,
            t.owner.path if t.owner_id else "",
            "groups" if t.attendees == Attendees.GROUP else "members" if t.per_member else None,
            len(span.due_buckets(t.frequency)),
        )
        for t in templates
    ]


def _attendance(which: counting.Branches, spans) -> list[dict[int, tuple[int, int]]]:
    """Per span, {branch id: (listed, present)} at its recorded meetings: one grouped query,
    a pair of filtered counts per span."""
    bounds = [(start_of_local_day(s.start), end_of_local_day(s.end)) for s in spans]
    rows = [] if which.none else _attendance_rows(which, bounds)
    result = [{} for _ in spans]
    for branch_id, *counts in rows:
        for i, per_span in enumerate(result):
            listed, present_ = counts[2 * i], counts[2 * i + 1]
            if listed or len(spans) == 1:
                per_span[branch_id] = (listed, present_)
    return result


def _attendance_rows(which: counting.Branches, bounds) -> list[tuple]:
    """(branch id, listed, present per span …) at the recorded meetings held from the first
    span's start to the last one's end; each span's pair counts its own meetings (with one
    span, the statement's bounds are the span's). Plain SQL, as `counting`'s: the ORM built
    the same text again on every request for more than the statement costs."""
    ops = connection.ops
    adapt = ops.adapt_datetimefield_value
    join, where, where_params = which.sql("r.branch_id", OrgUnit._meta.db_table)
    present = AttendanceStatus.PRESENT
    counts, params = [], []
    for start, end in bounds:
        if len(bounds) == 1:  # the statement filters on the span itself
            counts.append("COUNT(a.id), COUNT(CASE WHEN a.status = %s THEN a.id END)")
            params.append(present)
            continue
        inside = "r.held_at >= %s AND r.held_at < %s"
        counts.append(
            f"COUNT(CASE WHEN {inside} THEN a.id END),"
            f" COUNT(CASE WHEN {inside} AND a.status = %s THEN a.id END)"
        )
        params += [adapt(start), adapt(end), adapt(start), adapt(end), present]
    with connection.cursor() as cursor:
        # the tables' names are the models', the counts and filters ours; every value a param
        cursor.execute(
            f"SELECT r.branch_id, {', '.join(counts)}"  # noqa: S608  # nosec B608
            f" FROM {ops.quote_name(Attendance._meta.db_table)} a"
            f" INNER JOIN {ops.quote_name(MeetingRecord._meta.db_table)} r ON r.id = a.record_id"
            f"{join} WHERE {where} AND r.status = %s AND r.held_at >= %s AND r.held_at < %s"
            " GROUP BY r.branch_id",
            [
                *params,
                *where_params,
                RecordStatus.RECORDED,
                adapt(min(b[0] for b in bounds)),
                adapt(max(b[1] for b in bounds)),
            ],
        )
        return cursor.fetchall()


def compliance(
    branches, span: Span, *, with_dates: bool = False, within: OrgUnit | None = None, **only
) -> dict[int, BranchCompliance]:
    """Compliance of each branch (OrgUnit of type branch) in the span, by branch id.

    Four queries for any number of branches — templates, the branches' sizes and records,
    the meetings held per frequency period (`counting.held_per_period`, counted and capped
    by the database; 谈心谈话, per member, in the same statement when it falls due in the
    span), attendance totals — and one more `with_dates`: the records behind the figures
    (`counting.RecordRef`: one branch's page and its online scores name and link them).

    `within`: the branches are those under this unit (a committee's or the province's batch),
    so the counts filter on its path instead of listing the branches' ids.

    `attendance=False`, `record_counts=False` (`count_in`): without the attendance or the
    counts of the span's records (None in the figures), for readers that show neither."""
    return compliance_in(branches, [span], with_dates=with_dates, within=within, **only)[0]


def compliance_in(
    branches, spans, *, with_dates: bool = False, within: OrgUnit | None = None, **only
) -> list[dict[int, BranchCompliance]]:
    """`compliance()` of each of `spans` (the month, the quarter and the year of a page), in
    their order, with the queries of one span (`count_in`): the same rule and the same
    figures as one call per span."""
    branches = list(branches)
    counts = count_in(branches, spans, with_dates=with_dates, within=within, **only)
    return [_fold(branches, span, c, with_dates) for span, c in zip(spans, counts, strict=True)]


def _fold(branches, span: Span, counts: Counts, with_dates: bool) -> dict[int, BranchCompliance]:
    sizes, held, counted = counts.sizes, counts.held, counts.counted
    empty = Counts.EMPTY_SIZE if counts.record_counts else Counts.NOT_COUNTED
    no_periods = {}

    result = {}
    for branch in branches:
        pk, path = branch.pk, branch.path
        size = sizes.get(pk, empty)
        lines = []
        required_sum = held_sum = 0
        for t, owner, times, due in counts.plan:
            if not path.startswith(owner):  # `applies_to`
                continue
            per_period = t.required_count * (size[times] if times else 1)
            required = due * per_period
            periods = held.get((pk, t.key), no_periods)
            got = min(sum(periods.values()), required) if periods else 0
            records = tuple(counted.get((pk, t.key), ())) if with_dates else ()
            lines.append((t, required, got, per_period, periods, records))
            required_sum += required
            held_sum += got
        if counts.attendance is None:
            listed = present = None
        else:
            listed, present = counts.attendance.get(pk, (0, 0))
        result[pk] = BranchCompliance(
            branch,
            span,
            lines,
            required=required_sum,
            held=held_sum,
            is_behind=held_sum < required_sum,  # a row holds fewer than it requires
            attendance_listed=listed,
            attendance_present=present,
            records_total=size["records_total"],
            records_recorded=size["records_recorded"],
            span_records=tuple(counts.in_span.get(branch.pk, ())),
        )
    return result


def for_branch(branch: OrgUnit, span: Span) -> BranchCompliance:
    """One branch's compliance, each row naming the dates of the meetings it counts."""
    return compliance([branch], span, with_dates=True)[branch.pk]


def for_branch_in(branch: OrgUnit, spans) -> list[BranchCompliance]:
    """`for_branch` of each of `spans`, in their order, with the queries of one."""
    return [f[branch.pk] for f in compliance_in([branch], spans, with_dates=True)]


def branch_page_in(branch: OrgUnit, spans) -> list[BranchCompliance]:
    """What a branch's compliance page shows of each of `spans`: each template's figures and
    the attendance rate, with the queries of one span — not the records behind the figures
    nor the counts of the span's records (the page lists the chosen span's meetings itself:
    `meeting_attendance`), which `for_branch_in` reads: a statement less, and a union of
    two grouped counts instead of five."""
    return [f[branch.pk] for f in compliance_in([branch], spans, record_counts=False)]


def meeting_attendance(branch: OrgUnit, span: Span):
    """The branch's recorded meetings in the span, newest first, each with its listed and
    present counts (one query)."""
    return (
        MeetingRecord.objects.filter(
            branch=branch,
            status=RecordStatus.RECORDED,
            held_at__gte=start_of_local_day(span.start),
            held_at__lt=end_of_local_day(span.end),
        )
        .select_related("template", "party_group")
        .annotate(
            listed=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
        )
        .order_by("-held_at", "-pk")
    )


def member_attendance(branch: OrgUnit, span: Span):
    """Per member of the branch listed at its recorded meetings in the span: meetings listed,
    present, on leave (one query, GROUP BY member)."""
    return (
        Attendance.objects.filter(
            record__branch=branch,
            record__status=RecordStatus.RECORDED,
            record__held_at__gte=start_of_local_day(span.start),
            record__held_at__lt=end_of_local_day(span.end),
        )
        .values("member_id", "member__name")
        .annotate(
            listed=Count("pk"),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            leave=Count("pk", filter=Q(status=AttendanceStatus.LEAVE)),
        )
        .order_by("member__name", "member_id")
    )


def branches_in(unit: OrgUnit):
    """The active branches in a unit's subtree (itself if it is one), in tree order."""
    return OrgUnit.objects.filter(
        path__startswith=unit.path, unit_type=UnitType.BRANCH, is_active=True
    ).order_by("path")


#: What evaluation's online rules read moved to `scoring.py`; still found here, where they were
#: first (read on demand: `scoring` imports this module).
SCORING_NAMES = frozenset({"ScoringFigures", "TemplateFigures", "for_scoring", "scoring_figures"})


def __getattr__(name: str):
    if name in SCORING_NAMES:
        from . import scoring

        return getattr(scoring, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
