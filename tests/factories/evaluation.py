"""Factories of evaluation: a period on the shipped star table and a branch's assessment."""

import datetime

import factory
from factory.django import DjangoModelFactory

from branches.models import UnitType
from evaluation.models import Assessment, AssessmentPeriod, PeriodKind, TableVersion

from .branches import OrgUnitFactory


def star_version() -> TableVersion:
    """The shipped “5521” star table (evaluation's data migration), version 1."""
    return TableVersion.objects.get(table__code="star-5521", number=1)


class AssessmentPeriodFactory(DjangoModelFactory):
    """A monthly period on the star table, as tests/evaluation's `make_period` names and dates
    it — but from `starts_on` (November 2026 by default), never from today: filled in its
    first week and closed a week later. Pass the province as `scope`. Built on the model,
    not through `create_period`: no assessments are opened with it."""

    class Meta:
        model = AssessmentPeriod

    starts_on = datetime.date(2026, 11, 1)
    name = factory.LazyAttribute(lambda p: f"{p.starts_on:%Y年%m月}考评")
    kind = PeriodKind.MONTHLY
    table_version = factory.LazyFunction(star_version)
    scope = factory.SubFactory(OrgUnitFactory, unit_type=UnitType.PROVINCE)
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + datetime.timedelta(days=27))
    opens_on = factory.LazyAttribute(lambda p: p.starts_on)
    closes_on = factory.LazyAttribute(lambda p: p.starts_on + datetime.timedelta(days=14))


class AssessmentFactory(DjangoModelFactory):
    """A branch's (draft) assessment in a period, its category that of the branch."""

    class Meta:
        model = Assessment

    period = factory.SubFactory(AssessmentPeriodFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    category = factory.LazyAttribute(lambda a: a.unit.category)
    region = factory.LazyAttribute(lambda a: a.unit.region)
