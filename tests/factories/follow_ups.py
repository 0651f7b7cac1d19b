"""Factories of what follows an assessment: an honour round, a rectification plan, a
bulletin."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from branches.models import UnitType
from bulletins.models import Bulletin
from honours.models import HonourRound
from rectification.models import RectificationPlan

from .branches import OrgUnitFactory, UserFactory
from .evaluation import AssessmentPeriodFactory


class HonourRoundFactory(DjangoModelFactory):
    """A draft honour round on a period, three places."""

    class Meta:
        model = HonourRound

    period = factory.SubFactory(AssessmentPeriodFactory)
    title = factory.LazyAttribute(lambda r: f"{r.period.name}优秀党支部表彰")
    quota = 3
    created_by = factory.SubFactory(UserFactory)


class RectificationPlanFactory(DjangoModelFactory):
    """An open plan of a tier-3 branch, copied from its period and result as `follow_up`
    copies them (one star, 55 points), due 30 days (settings.RECTIFICATION_DEADLINE_DAYS'
    default) after the period ends. Pass the `unit` and its first approval level
    (`reviewing_unit`)."""

    class Meta:
        model = RectificationPlan

    period = factory.SubFactory(AssessmentPeriodFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    reviewing_unit = None
    period_name = factory.LazyAttribute(lambda p: p.period.name)
    star = 1
    total = Decimal("55.00")
    deadline = factory.LazyAttribute(lambda p: p.period.ends_on + datetime.timedelta(days=30))


class BulletinFactory(DjangoModelFactory):
    """A month's bulletin of a scope (the province by default), not generated yet."""

    class Meta:
        model = Bulletin

    month = datetime.date(2026, 11, 1)
    scope = factory.SubFactory(OrgUnitFactory, unit_type=UnitType.PROVINCE)
