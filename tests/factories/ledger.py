"""Factories of the ledger: the branch's roster and its work templates."""

import datetime

import factory
from factory.django import DjangoModelFactory

from ledger.models import (
    Education,
    Gender,
    MeetingKind,
    MeetingTemplate,
    Member,
    MemberStatus,
    PartyGroup,
)


class PartyGroupFactory(DjangoModelFactory):
    class Meta:
        model = PartyGroup

    name = factory.Sequence(lambda n: f"第{n}党小组")


class MemberFactory(DjangoModelFactory):
    """A full member with fixed dates (never today's), so tests do not depend on the clock."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"党员{n:03d}")
    gender = Gender.MALE
    birth_date = datetime.date(1985, 3, 2)
    education = Education.BACHELOR
    joined_on = datetime.date(2010, 7, 1)
    full_member_on = datetime.date(2011, 7, 1)
    status = MemberStatus.FULL
    post = "运维工程师"
    phone = factory.Sequence(lambda n: f"1380000{n % 10000:04d}")


class MeetingTemplateFactory(DjangoModelFactory):
    class Meta:
        model = MeetingTemplate

    key = factory.Sequence(lambda n: f"tpl-{n}")
    kind = MeetingKind.CUSTOM
    name = factory.Sequence(lambda n: f"自定义模板{n}")
    frequency = "monthly"
    steps = factory.LazyFunction(lambda: ["确定主题", "开展活动"])
