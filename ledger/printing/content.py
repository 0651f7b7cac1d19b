"""What the printed ledger shows, read in a fixed number of queries per chunk of records.

Records are read in chunks (`RECORD_CHUNK`) with their attendance and photos prefetched per
chunk, so 200 records never sit in memory at once; the writer consumes them one by one."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from branches.models import OrgUnit
from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    Attendance,
    AttendanceStatus,
    MeetingPhoto,
    MeetingRecord,
    Member,
    PrintPeriod,
    RecordStatus,
    mask_phone,
)
from ..spans import Span

#: Records read per query round (with their attendance and photos).
RECORD_CHUNK = 25


def period_span(period: str, day: datetime.date) -> Span:
    """The year or the quarter holding `day`."""
    return Span.year(day) if period == PrintPeriod.YEAR else Span.quarter(day)


def period_label(period: str, start: datetime.date) -> str:
    if period == PrintPeriod.YEAR:
        return _("%(year)d年") % {"year": start.year}
    return _("%(year)d年第%(q)d季度") % {"year": start.year, "q": (start.month - 1) // 3 + 1}


@dataclass
class Cover:
    branch: str
    parent: str
    period: str
    secretaries: list[str]


def cover(branch: OrgUnit, period: str, start: datetime.date) -> Cover:
    parent = OrgUnit.objects.filter(path=branch.path[: -OrgUnit.steplen]).first()
    return Cover(
        branch=branch.name,
        parent=parent.name if parent else "",
        period=period_label(period, start),
        secretaries=[str(u) for u in secretaries_at(branch)],
    )


@dataclass
class RosterRow:
    name: str
    gender: str
    birth: str
    education: str
    joined: str
    full_member: str
    status: str
    group: str
    post: str
    phone: str


def roster_rows(branch: OrgUnit) -> list[RosterRow]:
    """The branch's active members, phones masked (the file is read by every roster reader,
    not only by those who may see full numbers). One query."""
    members = (
        Member.objects.filter(branch=branch, is_active=True)
        .select_related("party_group")
        .order_by("party_group__name", "name", "pk")
    )
    return [
        RosterRow(
            name=m.name,
            gender=m.get_gender_display(),
            birth=f"{m.birth_date:%Y-%m}",
            education=m.get_education_display(),
            joined=m.joined_on.isoformat(),
            full_member=m.full_member_on.isoformat() if m.full_member_on else "",
            status=m.get_status_display(),
            group=m.party_group.name if m.party_group_id else "",
            post=m.post,
            phone=mask_phone(m.phone),
        )
        for m in members
    ]


@dataclass
class RecordPage:
    pk: int
    title: str
    held_at: datetime.datetime
    place: str
    topic: str
    host: str
    recorder: str
    group: str
    present: list[str] = field(default_factory=list)
    leave: list[tuple[str, str]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    minutes: str = ""
    resolutions: str = ""
    #: Storage names of the photos (opened one at a time by the writer).
    photos: list[str] = field(default_factory=list)


def records_in(branch: OrgUnit, start: datetime.date, end: datetime.date):
    """The branch's recorded meetings (its own and its groups') held in [start, end], local
    dates: drafts are not part of the ledger."""
    return MeetingRecord.objects.filter(
        branch=branch,
        status=RecordStatus.RECORDED,
        held_at__gte=start_of_local_day(start),
        held_at__lte=end_of_local_day(end),
    )


def record_pages(branch: OrgUnit, start: datetime.date, end: datetime.date) -> Iterator[RecordPage]:
    """Each recorded meeting of the period, oldest first, as plain values; three queries per
    RECORD_CHUNK records (records, attendance with members, photos)."""
    records = (
        records_in(branch, start, end)
        .select_related("template", "party_group", "host", "recorder")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by(
                    "member__name", "member_id"
                ),
            ),
            Prefetch("photos", queryset=MeetingPhoto.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("held_at", "pk")
    )
    for record in records.iterator(chunk_size=RECORD_CHUNK):
        page = RecordPage(
            pk=record.pk,
            title=record.template.name,
            held_at=record.held_at,
            place=record.place,
            topic=record.topic,
            host=record.host.name if record.host_id else "",
            recorder=record.recorder.name if record.recorder_id else "",
            group=record.party_group.name if record.party_group_id else "",
            minutes=record.minutes,
            resolutions=record.resolutions,
            photos=[p.image.name for p in record.photos.all()],
        )
        for row in record.attendance.all():
            if row.status == AttendanceStatus.PRESENT:
                page.present.append(row.member.name)
            elif row.status == AttendanceStatus.LEAVE:
                page.leave.append((row.member.name, row.reason))
            else:
                page.absent.append(row.member.name)
        # The prefetched rows point back at the record (a reference cycle): dropped here, a
        # chunk is freed as soon as the next one is read instead of at the next full garbage
        # collection, which keeps the writer's memory flat.
        record._prefetched_objects_cache.clear()
        yield page
