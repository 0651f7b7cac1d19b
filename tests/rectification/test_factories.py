"""The rectification factory builds a valid open plan the reviewer's list shows."""

from django.urls import reverse

from rectification.models import PlanStatus
from tests.factories import AssessmentPeriodFactory, RectificationPlanFactory


def test_a_factory_plan_is_valid_and_listed(org, client):
    plan = RectificationPlanFactory(
        period=AssessmentPeriodFactory(scope=org.province),
        unit=org.a1,
        reviewing_unit=org.general_a,
    )
    plan.full_clean()
    assert plan.status == PlanStatus.OPEN
    assert plan.deadline > plan.period.ends_on
    client.force_login(org.users["general_branch_reviewer"])
    page = client.get(reverse("rectification:index"))
    assert page.status_code == 200
    assert org.a1.name in page.content.decode()
