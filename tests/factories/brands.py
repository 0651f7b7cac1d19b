"""Factories of brands: a brand application with the content tests/brands files."""

import factory
from factory.django import DjangoModelFactory

from brands.models import BrandApplication, BrandType

from .branches import OrgUnitFactory, UserFactory

#: What a complete brand says (the content tests/brands/conftest.py files as a draft).
BRAND_CONTENT = {
    "slogan": "党建引领，网络护航",
    "brand_type": BrandType.DEVELOPMENT,
    "core_idea": "把支部建在网上，把党员放在一线",
    "goal": "三年内实现网络故障处理时长下降30%",
    "results": "网络质量排名全省第一",
}


class BrandApplicationFactory(DjangoModelFactory):
    """A branch's brand with every element but the logo filled in; a draft unless `status`
    says otherwise. Pass the branch (`unit`) and its secretary (`applicant`) of the test's
    org tree; by default both are new."""

    class Meta:
        model = BrandApplication

    unit = factory.SubFactory(OrgUnitFactory)
    applicant = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"红色引擎{n}")
    slogan = BRAND_CONTENT["slogan"]
    brand_type = BRAND_CONTENT["brand_type"]
    core_idea = BRAND_CONTENT["core_idea"]
    goal = BRAND_CONTENT["goal"]
    measures = factory.LazyFunction(lambda: ["设立党员先锋岗", "开展技术攻关", "建立结对帮扶机制"])
    results = BRAND_CONTENT["results"]
