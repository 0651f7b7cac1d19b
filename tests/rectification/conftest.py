from decimal import Decimal

import pytest
import time_machine

from rectification.models import BrandInvitation, RectificationPlan
from tests.clock import local
from tests.evaluation.conftest import make_period, publish_all

#: Publication day; the plans are due 30 days later (settings.RECTIFICATION_DEADLINE_DAYS).
PUBLISHED_ON = local(2026, 11, 20, 10, 0)

#: A1 (under general branch GA) and B1 (city B) fall to tier 3; A2 (directly under city A)
#: earns five stars, tier 1.
FRACTIONS = {"A1": Decimal("0.5"), "A2": Decimal("0.95"), "B1": Decimal("0.55")}


@pytest.fixture
def clock():
    with time_machine.travel(PUBLISHED_ON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def published(org, clock):
    period = make_period(org, name="2026年11月考评")
    return publish_all(org, period, fractions=FRACTIONS)


@pytest.fixture
def plan_a1(org, published):
    return RectificationPlan.objects.get(unit=org.a1)


@pytest.fixture
def plan_b1(org, published):
    return RectificationPlan.objects.get(unit=org.b1)


@pytest.fixture
def invitation_a2(org, published):
    return BrandInvitation.objects.get(unit=org.a2)


def filled(plan, **extra):
    """What a complete plan says."""
    return {
        "problems": "三会一课记录不全",
        "measures": "每月按时召开支委会并当场记录",
        "responsible": "张书记",
        "target_date": plan.deadline,
        **extra,
    }
