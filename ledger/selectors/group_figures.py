"""Per party group: the group meetings (党小组会, templates whose attendees are "党小组") due and
held in a span — what the groups app's quarterly assessment reads, as plain numbers.

Counted by the one counting rule (`counting.held_per_period`, per group): recorded meetings
only (a draft is not a held meeting), each frequency period capped at the template's required
count, records under older versions of a template counting for its key. Three queries per
branch, whatever the number of groups or records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models.functions import TruncDate

from branches.models import OrgUnit

from ..models import Attendees, MeetingRecord, RecordStatus
from ..spans import Span
from .compliance import applies_to, current_templates
from .counting import Branches, due_windows, held_per_period, in_due_windows


@dataclass(frozen=True)
class GroupMeetings:
    required: int
    held: int
    #: Local dates of the meetings counted, in order.
    dates: tuple[datetime.date, ...]


def group_meetings(branch: OrgUnit, start: datetime.date, end: datetime.date) -> dict:
    """{group id: GroupMeetings} for each active party group of `branch` between two local dates
    (both included)."""
    span = Span(start, end)
    templates = [
        t for t in current_templates() if t.attendees == Attendees.GROUP and applies_to(t, branch)
    ]
    group_ids = list(branch.ledger_groups.filter(is_active=True).values_list("pk", flat=True))
    if not templates or not group_ids:
        return {pk: GroupMeetings(0, 0, ()) for pk in group_ids}
    counted = defaultdict(int)
    for (_branch, _key, group_id), periods in held_per_period(
        Branches(ids=(branch.pk,)), span, templates, per_group=True
    ).items():
        counted[group_id] += sum(periods.values())
    dates = defaultdict(list)
    for group_id, day in (
        MeetingRecord.objects.filter(
            in_due_windows(due_windows(span, templates)),
            branch=branch,
            party_group_id__in=group_ids,
            status=RecordStatus.RECORDED,
        )
        .values_list("party_group_id", TruncDate("held_at"))
        .order_by("held_at", "pk")
    ):
        dates[group_id].append(day)
    required = sum(len(span.due_buckets(t.frequency)) * t.required_count for t in templates)
    return {
        pk: GroupMeetings(required, min(counted[pk], required), tuple(dates[pk]))
        for pk in group_ids
    }
