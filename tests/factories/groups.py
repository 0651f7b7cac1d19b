"""Factories of groups: a pioneer post (先锋岗) and a party group's brand card."""

import datetime

import factory
from factory.django import DjangoModelFactory

from groups.models import GroupBrand, PioneerPost, PostKind

from .branches import OrgUnitFactory, UserFactory
from .ledger import MemberFactory, PartyGroupFactory


class PioneerPostFactory(DjangoModelFactory):
    """A member's post in their branch for 2026 (fixed dates, never today's): pass the `branch`;
    the member is a new one of that branch."""

    class Meta:
        model = PioneerPost

    branch = factory.SubFactory(OrgUnitFactory)
    member = factory.SubFactory(MemberFactory, branch=factory.SelfAttribute("..branch"))
    kind = PostKind.values[0]
    title = factory.Sequence(lambda n: f"网络保障先锋岗{n}")
    commitment = "故障处理不过夜"
    term_start = datetime.date(2026, 1, 1)
    term_end = datetime.date(2026, 12, 31)
    created_by = factory.SubFactory(UserFactory)


class GroupBrandFactory(DjangoModelFactory):
    """A party group's brand card: pass the `group` (a `PartyGroupFactory` of the branch)."""

    class Meta:
        model = GroupBrand

    group = factory.SubFactory(PartyGroupFactory)
    name = factory.Sequence(lambda n: f"小组品牌{n}")
    idea = "一名党员一面旗"
    updated_by = factory.SubFactory(UserFactory)
