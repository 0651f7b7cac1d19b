"""The flagship factories build a cycle on the default calendar and a candidacy its list
shows."""

from django.urls import reverse

from flagship.services.cycle import default_schedule
from tests.factories import CandidacyFactory, FlagshipCycleFactory


def test_a_factory_cycle_has_the_default_calendar(org):
    cycle = FlagshipCycleFactory(year_start=2027, created_by=org.users["province_reviewer"])
    cycle.full_clean()
    defaults = default_schedule(2027)
    assert cycle.application_closes_on == defaults["application_closes_on"]
    assert cycle.decision_deadline == defaults["decision_deadline"]


def test_a_factory_candidacy_is_valid_and_listed(org, client):
    candidacy = CandidacyFactory(
        cycle=FlagshipCycleFactory(created_by=org.users["province_reviewer"]),
        unit=org.a1,
        applicant=org.users["secretary"],
    )
    candidacy.full_clean()
    assert candidacy.brand.unit == org.a1
    client.force_login(org.users["province_reviewer"])
    page = client.get(reverse("flagship:candidacies", args=[candidacy.cycle_id]))
    assert page.status_code == 200
    assert org.a1.name in page.content.decode()
