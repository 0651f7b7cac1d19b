"""Factories of flagship: a cycle on the documents' calendar and a branch's candidacy."""

import factory
from factory.django import DjangoModelFactory

from brands.models import Status as BrandStatus
from flagship.models import Candidacy, FlagshipCycle
from flagship.services.cycle import default_schedule

from .branches import OrgUnitFactory, UserFactory
from .brands import BrandApplicationFactory


class FlagshipCycleFactory(DjangoModelFactory):
    """A cycle with the default calendar and numbers `create_cycle` starts from
    (`default_schedule(year_start)`), any of them overridden by keyword; starting in 2027
    (the year tests/flagship runs in), each further cycle two years on. Built on the model:
    no committee, no criteria (those are `create_cycle`'s)."""

    class Meta:
        model = FlagshipCycle

    year_start = factory.Sequence(lambda n: 2027 + 2 * n)
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        values = default_schedule(kwargs["year_start"], kwargs.get("validity_years") or 2)
        values["name"] = str(values["name"])
        return {**values, **kwargs}


class CandidacyFactory(DjangoModelFactory):
    """A branch's (draft) candidacy with its built brand: pass `unit` and `applicant` from the
    test's org tree; the brand is built for the same unit and applicant."""

    class Meta:
        model = Candidacy

    cycle = factory.SubFactory(FlagshipCycleFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    applicant = factory.SubFactory(UserFactory)
    brand = factory.SubFactory(
        BrandApplicationFactory,
        unit=factory.SelfAttribute("..unit"),
        applicant=factory.SelfAttribute("..applicant"),
        status=BrandStatus.BUILT,
    )
    actual_practices = "每月开展一次党员先锋岗技术攻关"
    highlights = "网络故障处理时长下降30%"
