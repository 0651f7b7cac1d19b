"""The honours factory builds a valid draft round its list shows."""

from django.urls import reverse

from honours.models import RoundStatus
from tests.factories import AssessmentPeriodFactory, HonourRoundFactory


def test_a_factory_round_is_valid_and_listed(org, client):
    rnd = HonourRoundFactory(
        period=AssessmentPeriodFactory(scope=org.province),
        created_by=org.users["province_reviewer"],
    )
    rnd.full_clean()
    assert rnd.status == RoundStatus.DRAFT
    client.force_login(org.users["province_reviewer"])
    page = client.get(reverse("honours:rounds"))
    assert page.status_code == 200
    assert rnd.title in page.content.decode()
