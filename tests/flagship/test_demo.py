"""The demo's flagship cycle (flagship/demo.py): open for applications on the day of seeding,
made through the services, and the showcase secretary's branch may apply. Clock frozen."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from branches.demo import SECRETARY_COUNT, SHOWCASE_SECRETARY
from branches.models import OrgUnit, User
from brands.models import Status
from brands.selectors.applications import built_application_for
from evaluation.models import TableVersion
from flagship.eligibility import check_eligibility
from flagship.models import Candidacy, FlagshipCycle, Phase
from flagship.selectors.results import latest_results
from flagship.services import candidacy as candidacy_services
from flagship.windows import application_window
from tests.clock import local

FROZEN = local(2026, 12, 14, 10)


@pytest.fixture
def seeded(db):
    with time_machine.travel(FROZEN, tick=False):
        call_command("seed_demo", branches=120, stdout=StringIO())
        yield


def _showcase_branch():
    return OrgUnit.objects.get(secretary__username=SHOWCASE_SECRETARY)


def test_one_cycle_in_its_application_phase_with_the_window_open_today(seeded):
    cycle = FlagshipCycle.objects.get()
    assert cycle.phase == Phase.APPLICATION
    assert application_window(cycle).check() == (True, "")
    assert cycle.application_opens_on < FROZEN.date() < cycle.application_closes_on
    members = cycle.committee_members.select_related("user")
    assert {m.user.username for m in members} == {"jury1", "jury2"}
    assert cycle.criteria.count() == 2
    assert not Candidacy.objects.exists()  # applying is left to the demo secretaries


def test_the_showcase_secretary_may_apply(seeded):
    branch = _showcase_branch()
    brand = built_application_for(branch)
    assert brand is not None and brand.status == Status.BUILT
    results = latest_results(branch)
    assert results.six_good is not None and not results.is_vetoed
    cycle = FlagshipCycle.objects.get()
    assert check_eligibility(branch, cycle=cycle).ok
    secretary = User.objects.get(username=SHOWCASE_SECRETARY)
    filed = candidacy_services.save_candidacy_draft(actor=secretary, cycle=cycle, unit=branch)
    assert filed.brand == brand and filed.unit == branch


def test_other_demo_secretaries_are_told_why_not(seeded):
    cycle = FlagshipCycle.objects.get()
    branches = OrgUnit.objects.filter(secretary__username__startswith="secretary")
    assert branches.count() == SECRETARY_COUNT
    verdicts = [check_eligibility(b, cycle=cycle) for b in branches]
    assert any(v.ok for v in verdicts) and any(v.reasons for v in verdicts)


def test_reset_removes_the_cycle_and_seeds_it_again(seeded):
    with time_machine.travel(FROZEN, tick=False):
        call_command("seed_demo", branches=120, reset=True, stdout=StringIO())
    assert FlagshipCycle.objects.get().phase == Phase.APPLICATION
    assert TableVersion.objects.filter(table__code="six-good").exists()  # shipped data kept
