import datetime

import pytest
import time_machine
from django.utils import timezone

from brands.models import BrandApplication, Status
from selection import services
from tests.clock import local
from tests.factories.brands import BrandApplicationFactory

#: The round of these tests: proposals in March 2030, the province decides from 1 April.
YEAR = 2030
OPENS, CLOSES = datetime.date(YEAR, 3, 1), datetime.date(YEAR, 3, 31)
IN_WINDOW = local(YEAR, 3, 10, 10)
DECIDING = local(YEAR, 4, 1, 9)


@pytest.fixture(autouse=True)
def _in_the_window():
    with time_machine.travel(IN_WINDOW, tick=True):
        yield


def built(unit, applicant, **fields) -> BrandApplication:
    return BrandApplicationFactory(
        unit=unit, applicant=applicant, status=Status.BUILT, built_at=timezone.now(), **fields
    )


@pytest.fixture
def round_(org):
    return services.open_round(
        actor=org.users["province_reviewer"],
        year=YEAR,
        title=f"{YEAR}年省公司级品牌评选",
        quota=1,
        opens_on=OPENS,
        closes_on=CLOSES,
    )


@pytest.fixture
def brands(org):
    """A built brand at A1 (city A, below the general branch), A2 (city A) and B1 (city B)."""
    return {
        "a1": built(org.a1, org.users["secretary"]),
        "a2": built(org.a2, org.users["secretary"]),
        "b1": built(org.b1, org.sec_b1),
    }


@pytest.fixture
def proposed(org, round_, brands):
    """A1 and A2 proposed by city A, B1 by city B."""
    city_a, city_b = org.users["city_reviewer"], org.rev_b
    return {
        key: services.propose(
            actor=actor, round_pk=round_.pk, application_pk=brands[key].pk, reason="成效突出"
        )
        for key, actor in (("a1", city_a), ("a2", city_a), ("b1", city_b))
    }
