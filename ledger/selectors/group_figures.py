"""Per party group: the group meetings (党小组会, templates whose attendees are "党小组") due and
held in a span — what the groups app's quarterly assessment reads, as plain numbers.

Counted as the compliance selector counts them (`compliance.py`): recorded meetings only (a
draft is not a held meeting), each frequency period capped at the template's required count,
records under older versions of a template counting for its key. Two queries per branch,
whatever the number of groups or records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate

from branches.models import OrgUnit

from ..models import Attendees, MeetingRecord, RecordStatus
from ..spans import Span
from .compliance import _as_date, _bucket_due, _instants, applies_to, current_templates


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
    by_key = {t.key: t for t in templates}
    first, last = _instants(span)
    rows = (
        MeetingRecord.objects.filter(
            branch=branch,
            party_group_id__in=group_ids,
            template__key__in=list(by_key),
            status=RecordStatus.RECORDED,
            held_at__gte=first,
            held_at__lt=last,
        )
        .annotate(day=TruncDate("held_at"))
        .values("party_group_id", "template__key", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held = defaultdict(int)
    dates = defaultdict(list)
    for row in rows:
        template = by_key[row["template__key"]]
        day = _as_date(row["day"])
        bucket = _bucket_due(span, template, day)
        if bucket is None:
            continue
        held[(row["party_group_id"], template.key, bucket)] += row["n"]
        dates[row["party_group_id"]].append(day)
    counted = defaultdict(int)
    for (group_id, key, _bucket), n in held.items():
        counted[group_id] += min(n, by_key[key].required_count)
    required = sum(len(span.due_buckets(t.frequency)) * t.required_count for t in templates)
    return {
        pk: GroupMeetings(required, min(counted[pk], required), tuple(sorted(dates[pk])))
        for pk in group_ids
    }
