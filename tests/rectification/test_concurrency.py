"""Two reviewers deciding on the same plan at the same moment, on real PostgreSQL connections:
exactly one wins, the other is told it was already handled; and two publications of the
same period open each plan once."""

import pytest
import time_machine

from rectification import services
from rectification.follow_up import follow_up_results
from rectification.models import RectificationPlan
from tests.conftest import run_concurrently
from tests.evaluation.conftest import make_period, publish_all
from tests.factories import Org, grant
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled

from .conftest import FRACTIONS, PUBLISHED_ON, filled


@pytest.fixture
def world(transactional_db, postgres):
    with time_machine.travel(PUBLISHED_ON, tick=False):
        org = Org()
        period = publish_all(org, make_period(org), fractions=FRACTIONS)
        yield org, period


def test_two_reviewers_at_once_exactly_one_wins(world):
    org, _period = world
    colleague = grant(org.users["member"], org.general_a, "reviewer")
    plan = RectificationPlan.objects.get(unit=org.a1)
    services.save_plan(actor=org.users["secretary"], pk=plan.pk, data=filled(plan))
    plan = services.submit_plan(actor=org.users["secretary"], pk=plan.pk)
    seen = services.WORKFLOW.version_of(plan)
    results = run_concurrently(
        lambda: services.approve_plan(
            actor=org.users["general_branch_reviewer"], pk=plan.pk, expected_version=seen
        ),
        lambda: services.return_plan(
            actor=colleague, pk=plan.pk, comment="请修改", expected_version=seen
        ),
    )
    winners = [r for r in results if isinstance(r, RectificationPlan)]
    losers = [r for r in results if isinstance(r, AlreadyHandled)]
    assert (len(winners), len(losers)) == (1, 1), results
    decided = AuditEntry.objects.filter(object_id=plan.pk, action__in=["approve", "return"])
    assert decided.count() == 1


def test_two_follow_ups_of_one_publication_open_each_plan_once(world):
    org, period = world
    RectificationPlan.objects.all().delete()
    results = run_concurrently(
        lambda: follow_up_results(period, org.province.path),
        lambda: follow_up_results(period, org.province.path),
    )
    assert RectificationPlan.objects.count() == 2, results
