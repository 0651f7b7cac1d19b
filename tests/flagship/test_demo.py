"""The demo's flagship cycles (flagship/demo.py), made through the services: this year's open
for applications on the day of seeding, where the showcase secretary's branch may apply, and
last year's in its public vote, where the `member` login casts a ballot. Clock frozen."""

from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from branches.demo import SECRETARY_COUNT, SHOWCASE_SECRETARY
from branches.models import OrgUnit, User
from brands.models import Status
from brands.selectors.applications import built_application_for
from evaluation.models import TableVersion
from flagship.eligibility import check_eligibility
from flagship.models import Ballot, Candidacy, FlagshipCycle, Phase
from flagship.selectors.results import latest_results
from flagship.services import candidacy as candidacy_services
from flagship.services.decision import cast_ballot
from flagship.windows import application_window, vote_window
from tests.clock import local
from workflow.models import AuditEntry

FROZEN = local(2026, 12, 14, 10)


@pytest.fixture
def seeded(db):
    with time_machine.travel(FROZEN, tick=False):
        call_command("seed_demo", branches=120, stdout=StringIO())
        yield


def applying():
    return FlagshipCycle.objects.get(phase=Phase.APPLICATION)


def voting():
    return FlagshipCycle.objects.get(phase=Phase.VOTING)


def _showcase_branch():
    return OrgUnit.objects.get(secretary__username=SHOWCASE_SECRETARY)


def test_one_cycle_in_its_application_phase_with_the_window_open_today(seeded):
    cycle = applying()
    assert application_window(cycle).check() == (True, "")
    assert cycle.application_opens_on < FROZEN.date() < cycle.application_closes_on
    members = cycle.committee_members.select_related("user")
    assert {m.user.username for m in members} == {"jury1", "jury2"}
    assert cycle.criteria.count() == 2
    assert not cycle.candidacies.exists()  # applying is left to the demo secretaries


def test_the_showcase_secretary_may_apply(seeded):
    branch = _showcase_branch()
    brand = built_application_for(branch)
    assert brand is not None and brand.status == Status.BUILT
    results = latest_results(branch)
    assert results.six_good is not None and not results.is_vetoed
    cycle = applying()
    # whatever rank the random results give the showcase branch (292 of 300 at the default
    # size): the demo's cycles run without the standing check
    assert cycle.standing_top_share is None and voting().standing_top_share is None
    assert check_eligibility(branch, cycle=cycle).ok
    secretary = User.objects.get(username=SHOWCASE_SECRETARY)
    filed = candidacy_services.save_candidacy_draft(actor=secretary, cycle=cycle, unit=branch)
    assert filed.brand == brand and filed.unit == branch


def test_other_demo_secretaries_are_told_why_not(seeded):
    cycle = applying()
    branches = OrgUnit.objects.filter(secretary__username__startswith="secretary")
    assert branches.count() == SECRETARY_COUNT
    verdicts = [check_eligibility(b, cycle=cycle) for b in branches]
    assert any(v.ok for v in verdicts) and any(v.reasons for v in verdicts)


def test_reset_removes_the_cycle_and_seeds_it_again(seeded):
    with time_machine.travel(FROZEN, tick=False):
        call_command("seed_demo", branches=120, reset=True, stdout=StringIO())
    assert sorted(FlagshipCycle.objects.values_list("phase", flat=True)) == [
        Phase.APPLICATION,
        Phase.VOTING,
    ]
    assert TableVersion.objects.filter(table__code="six-good").exists()  # shipped data kept


def test_last_years_cycle_is_open_for_the_public_vote(seeded):
    cycle = voting()
    assert cycle.year_start == FROZEN.year - 1 and vote_window(cycle).check() == (True, "")
    units = list(cycle.candidacies.filter(is_unit=True).select_related("unit"))
    assert units and all(c.status == "accepted" for c in units)
    assert all(c.scores.count() == 2 for c in units)  # jury1 and jury2 scored each
    secretaries = {f"secretary{i}" for i in range(1, SECRETARY_COUNT + 1)}
    assert {c.applicant.username for c in units} <= secretaries
    # every candidacy went through the services: a revision and an audit trail each
    assert all(c.revisions.count() == 1 for c in units)
    actions = set(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Candidacy),
            object_id__in=[c.pk for c in units],
        ).values_list("action", flat=True)
    )
    assert {"submit", "approve", "score"} <= actions
    assert cycle.notice_published_on < cycle.review_starts_on < FROZEN.date()


def test_the_member_login_casts_a_ballot(seeded):
    cycle = voting()
    member = User.objects.get(username="member")
    unit = cycle.candidacies.filter(is_unit=True).first()
    with time_machine.travel(FROZEN, tick=False):
        cast_ballot(actor=member, cycle_pk=cycle.pk, candidacy_ids=[unit.pk])
    assert Ballot.objects.filter(cycle=cycle, voter=member).count() == 1
