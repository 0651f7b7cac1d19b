"""A small ledger world for the compliance selectors and the online rules: branch A1 (two
party groups, three members) with records in January–March 2026, written straight to the
tables (the services are tested elsewhere; here the figures matter)."""

from ledger.models import Attendance, MeetingRecord, MeetingTemplate, RecordStatus
from tests.clock import local


def current(key) -> MeetingTemplate:
    return MeetingTemplate.objects.get(key=key, is_current=True)


def held(branch, key, when, *, user, group=None, status=RecordStatus.RECORDED, attendance=()):
    """A record of template `key` held at `when`; `attendance`: (member, status) pairs."""
    record = MeetingRecord.objects.create(
        branch=branch,
        party_group=group,
        template=current(key),
        held_at=when,
        topic="学习",
        status=status,
        recorded_at=when if status == RecordStatus.RECORDED else None,
        created_by=user,
    )
    Attendance.objects.bulk_create(
        Attendance(record=record, member=m, status=s, reason="出差" if s == "leave" else "")
        for m, s in attendance
    )
    return record


class World:
    """In Q1 2026 at A1 (groups g1: Li, Wang; g2: Zhao):
    支委会 8 Jan, 20 Jan, 3 Mar recorded, 5 Feb a draft → January counts once: 2 of 3;
    党小组会 g1 10 Jan and 12 Feb, g2 none → 2 of 6; 党课 20 Feb → 1 of 1 (quarterly);
    attendance: 8 Jan Li, Wang present, Zhao on leave; 3 Mar Li present, Wang absent;
    g1 10 Jan Li, Wang present; g1 12 Feb Li present → 6 present of 9 listed.
    Sibling B1 holds a 支委会 in March, which must never count for A1."""

    def __init__(self, org, roster):
        user = org.users["secretary"]
        li, wang, zhao = roster.li, roster.wang, roster.zhao
        a1 = org.a1
        self.c_jan8 = held(
            a1,
            "committee-meeting",
            local(2026, 1, 8, 9),
            user=user,
            attendance=[(li, "present"), (wang, "present"), (zhao, "leave")],
        )
        held(a1, "committee-meeting", local(2026, 1, 20, 9), user=user)
        self.c_mar3 = held(
            a1,
            "committee-meeting",
            local(2026, 3, 3, 9),
            user=user,
            attendance=[(li, "present"), (wang, "absent")],
        )
        held(a1, "committee-meeting", local(2026, 2, 5, 9), user=user, status=RecordStatus.DRAFT)
        held(
            a1,
            "group-meeting",
            local(2026, 1, 10, 15),
            user=user,
            group=roster.g1,
            attendance=[(li, "present"), (wang, "present")],
        )
        held(
            a1,
            "group-meeting",
            local(2026, 2, 12, 15),
            user=user,
            group=roster.g1,
            attendance=[(li, "present")],
        )
        held(a1, "party-lecture", local(2026, 2, 20, 15), user=user)
        held(org.b1, "committee-meeting", local(2026, 3, 10, 9), user=user)
