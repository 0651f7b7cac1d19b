import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from flagship.models import CandidacyStatus, CommitteeMember, FlagshipCycle, Phase
from flagship.services import SCHEDULER, FlagshipError
from flagship.services import candidacy as candidacies
from flagship.services import cycle as cycles
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled

from .conftest import YEAR, accept, advance, new_cycle

pytestmark = pytest.mark.smoke


def test_a_cycle_starts_with_the_documents_defaults(org):
    cycle = new_cycle(org)
    assert (cycle.year_start, cycle.year_end, cycle.phase) == (YEAR, YEAR + 1, Phase.PLANNED)
    assert cycle.application_opens_on < datetime.date(YEAR, 3, 1)  # before March of Y1
    assert cycle.summary_deadline == datetime.date(YEAR + 1, 9, 30)
    assert cycle.decision_deadline == datetime.date(YEAR + 1, 12, 31)
    assert cycle.honour_expires_on == datetime.date(YEAR + 3, 12, 31)  # valid 2 years
    assert (cycle.quota, cycle.base_share_cap, cycle.validity_years) == (20, Decimal(30), 2)
    # the committee is every holder of the role, the earliest-granted as chair
    members = list(
        CommitteeMember.objects.filter(cycle=cycle).values_list("user__username", "is_chair")
    )
    assert members == [("jury", True)]
    # the scoring table: six-good result + five-force brand score
    assert [(c.source, c.max_points) for c in cycle.criteria.all()] == [
        ("six_good", Decimal(50)),
        ("five_forces", Decimal(50)),
    ]


def test_dates_and_numbers_are_configurable_and_validated(org):
    cycle = new_cycle(org, quota=12, base_share_cap=Decimal(25), notice_days=10)
    assert (cycle.quota, cycle.base_share_cap, cycle.notice_days) == (12, 25, 10)
    with pytest.raises(ValidationError, match="各阶段日期"):
        cycles.update_cycle(
            actor=org.users["province_reviewer"],
            pk=cycle.pk,
            data={"summary_deadline": datetime.date(YEAR + 2, 1, 1)},
        )
    with pytest.raises(ValidationError, match="该起始年度已有评选周期"):
        new_cycle(org)


def test_only_the_province_and_administrators_run_cycles(org):
    for role in ("secretary", "city_reviewer", "committee_member", "member"):
        with pytest.raises(PermissionDenied):
            cycles.create_cycle(actor=org.users[role], year_start=YEAR)
    assert cycles.create_cycle(actor=org.users["admin"], year_start=YEAR).pk


def test_illegal_jumps_are_refused(org):
    cycle = new_cycle(org)
    for name in ("publish_notice", "start_management", "start_review"):
        with pytest.raises(AlreadyHandled, match="不能执行"):
            advance(org, cycle, name)
    with pytest.raises(FlagshipError, match="未知操作"):
        advance(org, cycle, "decide_units")  # the chair's step is not a phase advance
    assert FlagshipCycle.objects.get(pk=cycle.pk).phase == Phase.PLANNED
    with pytest.raises(Exception, match="权限"):
        cycles.advance(actor=org.users["committee_member"], pk=cycle.pk, name="open_application")


def test_phases_advance_by_date_as_far_as_the_guards_allow(org, eligible):
    cycle = new_cycle(org)
    assert cycles.advance_by_date(datetime.datetime(YEAR, 1, 15, 12, tzinfo=datetime.UTC)) == 0
    moved = cycles.advance_by_date(datetime.datetime(YEAR, 2, 1, 1, tzinfo=datetime.UTC))
    assert moved == 1
    cycle.refresh_from_db()
    assert cycle.phase == Phase.APPLICATION
    entry = AuditEntry.objects.filter(object_id=cycle.pk, action="open_application").get()
    assert entry.actor is None  # the scheduler

    # a candidacy still in review holds the notice back; the job says nothing and retries
    c = candidacies.save_candidacy_draft(actor=org.users["secretary"], cycle=cycle, unit=org.a1)
    candidacies.submit_candidacy(actor=org.users["secretary"], pk=c.pk, now=_at(YEAR, 3, 1))
    assert cycles.advance_by_date(_at(YEAR, 4, 21)) == 0
    assert FlagshipCycle.objects.get(pk=cycle.pk).phase == Phase.APPLICATION
    assert "审核中" in cycles.blocking_reason(cycle, "publish_notice")

    for reviewer in ("general_branch_reviewer", "city_reviewer", "province_reviewer"):
        candidacies.approve_candidacy(actor=org.users[reviewer], pk=c.pk)
    assert cycles.advance_by_date(_at(YEAR, 4, 21)) == 1  # notice published by date
    cycle.refresh_from_db()
    assert (cycle.phase, cycle.notice_published_on) == (Phase.NOTICE, datetime.date(YEAR, 4, 21))
    assert cycle.notice_ends_on == datetime.date(YEAR, 4, 27)  # 7 days
    assert cycles.advance_by_date(_at(YEAR, 4, 27)) == 0
    assert cycles.advance_by_date(_at(YEAR, 4, 28)) == 1
    assert cycles.advance_by_date(_at(YEAR + 1, 10, 1)) == 1
    cycle.refresh_from_db()
    assert cycle.phase == Phase.REVIEW
    assert cycles.advance_by_date(_at(YEAR + 2, 1, 1)) == 0  # the decision is the chair's


def _at(y, m, d):
    return datetime.datetime(y, m, d, 4, tzinfo=datetime.UTC)  # noon in Shanghai


def test_publishing_the_notice_locks_what_was_not_accepted(org, open_cycle):
    a1 = accept(org, open_cycle, org.a1)
    b1 = candidacies.save_candidacy_draft(actor=org.sec_b1, cycle=open_cycle, unit=org.b1)
    cycle = advance(org, open_cycle, "publish_notice")
    assert cycle.phase == Phase.NOTICE
    statuses = dict(cycle.candidacies.values_list("pk", "status"))
    assert statuses == {a1.pk: CandidacyStatus.ACCEPTED, b1.pk: CandidacyStatus.LOCKED}


def test_committee_and_chair(org, second_member):
    cycle = new_cycle(org)
    province = org.users["province_reviewer"]
    with pytest.raises(FlagshipError, match="角色"):
        cycles.add_member(actor=province, cycle_pk=cycle.pk, user=org.users["member"])
    cycles.set_chair(actor=province, cycle_pk=cycle.pk, user=second_member)
    chairs = CommitteeMember.objects.filter(cycle=cycle, is_chair=True)
    assert [m.user for m in chairs] == [second_member]
    with pytest.raises(FlagshipError, match="主任委员"):
        cycles.remove_member(actor=province, cycle_pk=cycle.pk, user=second_member)
    cycles.remove_member(actor=province, cycle_pk=cycle.pk, user=org.users["committee_member"])
    assert cycle.committee_members.count() == 1


def test_the_scheduler_is_recorded_as_the_system(org):
    cycle = new_cycle(org)
    cycles.advance(actor=SCHEDULER, pk=cycle.pk, name="open_application")
    assert (
        AuditEntry.objects.filter(object_id=cycle.pk, action="open_application").get().actor_id
        is None
    )


def test_a_second_overlapping_run_leaves_what_the_first_locked(org, open_cycle):
    """Two close_windows runs overlapping (two beats during a deploy): the one that finds a
    candidacy already locked by the other skips it instead of failing the whole job."""
    draft = candidacies.save_candidacy_draft(actor=org.sec_b1, cycle=open_cycle, unit=org.b1)
    assert candidacies.lock_candidacies(open_cycle, (CandidacyStatus.DRAFT,)) == 1
    # the second run listed the candidacy before the first locked it
    both = (CandidacyStatus.DRAFT, CandidacyStatus.LOCKED)
    assert candidacies.lock_candidacies(open_cycle, both) == 0
    assert AuditEntry.objects.filter(object_id=draft.pk, action="lock").count() == 1
