"""Reads of the ledger's records: a branch's list, one record's page, the attendance sheet a
form starts from, the templates a branch records on. Each costs a fixed number of queries,
whatever the number of records, attendance rows or photos."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from branches.models import OrgUnit
from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    Attendance,
    AttendanceStatus,
    MeetingKind,
    MeetingRecord,
    MeetingTemplate,
    Member,
)
from ..rules import led_group_ids, reads_roster_of
from .counting import Branches, theme_day_groups


def templates_for_branch(branch: OrgUnit) -> QuerySet[MeetingTemplate]:
    """The current templates a branch records on: the province's and those of the units
    above it (or its own)."""
    step = OrgUnit.steplen
    above = [branch.path[:end] for end in range(step, len(branch.path) + 1, step)]
    return MeetingTemplate.objects.filter(
        Q(owner__isnull=True) | Q(owner__path__in=above), is_current=True
    ).order_by("kind", "name")


def month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local month holding `month` as [start, end) instants."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    aware = [
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end)
    ]
    return aware[0], aware[1]


def records_of(
    user,
    branch: OrgUnit,
    *,
    kind: str = "",
    month: datetime.date | None = None,
    kinds=(),
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    status: str = "",
) -> QuerySet[MeetingRecord]:
    """The branch's records the user may read, newest first, with their template, group and
    counts (present members, photos) in one query. A group leader without a reading role on
    the branch sees their own groups' records only. Filters: a template kind (or several:
    `kinds`, as an online score's "all records" link asks), a month, local dates `since` /
    `until` (both included), a status."""
    records = MeetingRecord.objects.filter(branch=branch)
    if not reads_roster_of(user, branch):
        records = records.filter(party_group__in=led_group_ids(user, branch))
    if kind:
        records = records.filter(template__kind=kind)
    if kinds:
        records = records.filter(template__kind__in=list(kinds))
    if month is not None:
        start, end = month_range(month)
        records = records.filter(held_at__gte=start, held_at__lt=end)
    if since is not None:
        records = records.filter(held_at__gte=start_of_local_day(since))
    if until is not None:
        records = records.filter(held_at__lt=end_of_local_day(until))
    if status:
        records = records.filter(status=status)
    return (
        records.select_related("template", "party_group", "host")
        .annotate(
            present_count=Count(
                "attendance",
                filter=Q(attendance__status=AttendanceStatus.PRESENT),
                distinct=True,
            ),
            photo_count=Count("photos", distinct=True),
        )
        .order_by("-held_at", "-pk")
    )


#: What a row of the record list shows: the rest of a record (its minutes, resolutions, host …)
#: is left in the database (issue #19: the list's rows in a third less ORM work).
LISTED_FIELDS = ("held_at", "topic", "status", "template__name", "party_group__name")


def records_listed(user, branch: OrgUnit, **filters) -> QuerySet[MeetingRecord]:
    """`records_of` with only what the record list shows of each row: its template's and
    group's names, time, topic, status and the two counts. Same rows, same order."""
    return (
        records_of(user, branch, **filters)
        .select_related(None)
        .select_related("template", "party_group")
        .only(*LISTED_FIELDS)
    )


def record_for_page(pk) -> MeetingRecord:
    """A record with its attendance (and members), photos and materials: four queries."""
    return (
        MeetingRecord.objects.select_related(
            "branch", "party_group", "template", "host", "recorder", "created_by", "theme_day"
        )
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by(
                    "member__name", "member_id"
                ),
            ),
            "photos",
            "attachments",
        )
        .get(pk=pk)
    )


@dataclass
class SheetRow:
    member: Member
    status: str
    reason: str = ""


def attendance_sheet(branch, group=None, record: MeetingRecord | None = None) -> list[SheetRow]:
    """What the attendance list of a form starts from: the active members of the group (or of
    the branch), everyone present, so the secretary types only the exceptions; a saved
    record's rows as saved (members who left since included). Two queries at most."""
    if record is not None and record.pk:
        saved = [
            SheetRow(a.member, a.status, a.reason)
            for a in record.attendance.select_related("member")
        ]
        if saved:
            return sorted(saved, key=lambda r: (r.member.name, r.member.pk))
    members = Member.objects.filter(branch=branch, is_active=True)
    if group is not None:
        members = members.filter(party_group=group)
    return [SheetRow(m, AttendanceStatus.PRESENT) for m in members.order_by("name", "pk")]


def is_theme_day(record: MeetingRecord) -> bool:
    """A branch's own 主题党日 record: the "1" that groups' activities attach to."""
    return record.party_group_id is None and record.template.kind == MeetingKind.THEME_DAY


def _same_month(record: MeetingRecord) -> Q:
    start, end = month_range(timezone.localdate(record.held_at))
    return Q(branch=record.branch_id, held_at__gte=start, held_at__lt=end)


@dataclass
class OnePlusN:
    """A theme day's page: the groups' activities attached, N (groups with a recorded
    activity, as `counting.theme_day_groups` counts them) and, for the secretary, the month's
    group records not yet attached anywhere."""

    activities: list
    groups: int
    candidates: list


def one_plus_n(record: MeetingRecord, *, with_candidates: bool) -> OnePlusN:
    """Three queries (two without the candidates), whatever the number of groups."""
    activities = list(
        record.group_activities.select_related("party_group", "template").order_by("held_at", "pk")
    )
    groups = theme_day_groups(Branches(ids=(record.branch_id,)), ids=(record.pk,))
    candidates = []
    if with_candidates:
        candidates = list(
            MeetingRecord.objects.filter(
                _same_month(record), party_group__isnull=False, theme_day__isnull=True
            )
            .select_related("party_group", "template")
            .order_by("party_group__name", "held_at", "pk")
        )
    return OnePlusN(activities, groups.get(record.pk, 0), candidates)


def theme_days_for(activity: MeetingRecord) -> list[MeetingRecord]:
    """The branch's theme days a group's activity may be attached to: those of its month."""
    return list(
        MeetingRecord.objects.filter(
            _same_month(activity),
            party_group__isnull=True,
            template__kind=MeetingKind.THEME_DAY,
        )
        .select_related("template")
        .order_by("held_at", "pk")
    )
