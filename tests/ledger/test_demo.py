"""The demo ledger: the branches a demo secretary keeps get a roster in groups and a year of
records on the shipped templates, with attendance taken from their own roster; the demo
`member` account leads a group; --reset removes it all and keeps the shipped templates."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F

from branches.models import OrgUnit, Role, UnitType
from ledger.models import Attendance, MeetingKind, MeetingRecord, MeetingTemplate, Member

from ..clock import local

pytestmark = pytest.mark.smoke

#: The demo is built "now"; these tests build it on a fixed day (mid-December).
TODAY = local(2026, 12, 14, 10)


@pytest.fixture
def seeded(db):
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", branches=60, stdout=StringIO())


def test_only_the_secretaries_branches_keep_a_ledger(seeded):
    kept = set(MeetingRecord.objects.values_list("branch", flat=True))
    with_secretary = set(
        OrgUnit.objects.filter(
            unit_type=UnitType.BRANCH, role_assignments__role=Role.SECRETARY
        ).values_list("pk", flat=True)
    )
    assert kept and kept == with_secretary
    assert set(Member.objects.values_list("branch", flat=True)) == with_secretary


def test_a_year_of_records_none_in_the_future_some_drafts_this_month(seeded):
    held = MeetingRecord.objects.values_list("held_at", flat=True)
    assert max(held) < TODAY and min(held) >= local(2026, 1, 1)
    drafts = MeetingRecord.objects.filter(status="draft")
    assert all(r.held_at >= local(2026, 12, 1) for r in drafts)
    kinds = set(MeetingRecord.objects.values_list("template__kind", flat=True))
    assert {MeetingKind.COMMITTEE_MEETING, MeetingKind.GROUP_MEETING} <= kinds
    assert MeetingKind.LIFE_MEETING in kinds and MeetingKind.MEMBER_REVIEW in kinds


def test_attendance_comes_from_the_meetings_own_roster(seeded):
    foreign = Attendance.objects.exclude(member__branch=F("record__branch"))
    other_group = Attendance.objects.filter(record__party_group__isnull=False).exclude(
        member__party_group=F("record__party_group")
    )
    assert not foreign.exists() and not other_group.exists()
    by_status = dict(Attendance.objects.values_list("status").annotate(n=Count("pk")))
    assert by_status["present"] > 5 * (by_status.get("leave", 0) + by_status.get("absent", 0))
    assert not Attendance.objects.filter(status="leave", reason="").exists()


def test_the_member_account_leads_a_group(seeded):
    member = Member.objects.get(user__username="member")
    assert member.party_group.leader_id == member.pk


def test_reset_removes_the_ledger_and_keeps_the_shipped_templates(seeded):
    shipped = MeetingTemplate.objects.filter(owner__isnull=True).count()
    call_command("seed_demo", branches=60, reset=True, stdout=StringIO())
    assert MeetingTemplate.objects.filter(owner__isnull=True).count() == shipped == 8
    assert MeetingRecord.objects.exists()  # rebuilt on the new tree


def test_the_secretaries_work_lists_show_done_and_overdue_tasks(seeded):
    from ledger.models import WorkTask
    from ledger.selectors.tasks import work_list

    branch = OrgUnit.objects.get(pk=MeetingRecord.objects.values("branch")[:1])
    assert WorkTask.objects.filter(branch=branch, year=2026).count() >= 40
    with time_machine.travel(TODAY, tick=False):
        statuses = [line.status for m in work_list(branch, 2026) for line in m.lines]
    assert statuses.count("done") > statuses.count("overdue") > 0  # mostly on time, some missed
