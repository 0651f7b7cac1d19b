"""Factories (factory_boy) for every app's main models, one module per app, built on the same
defaults the tests' fixtures use; `Org` builds the small province every permission test runs
on. Import from here: `from tests.factories import Org, BrandApplicationFactory`."""

from .branches import Org, OrgUnitFactory, RegionFactory, UserFactory, grant
from .brands import BRAND_CONTENT, BrandApplicationFactory
from .evaluation import AssessmentFactory, AssessmentPeriodFactory, star_version
from .flagship import CandidacyFactory, FlagshipCycleFactory
from .follow_ups import BulletinFactory, HonourRoundFactory, RectificationPlanFactory
from .groups import GroupBrandFactory, PioneerPostFactory
from .ledger import MeetingTemplateFactory, MemberFactory, PartyGroupFactory

__all__ = [
    "BRAND_CONTENT",
    "AssessmentFactory",
    "AssessmentPeriodFactory",
    "BrandApplicationFactory",
    "BulletinFactory",
    "CandidacyFactory",
    "FlagshipCycleFactory",
    "GroupBrandFactory",
    "HonourRoundFactory",
    "MeetingTemplateFactory",
    "MemberFactory",
    "Org",
    "OrgUnitFactory",
    "PartyGroupFactory",
    "PioneerPostFactory",
    "RectificationPlanFactory",
    "RegionFactory",
    "UserFactory",
    "grant",
    "star_version",
]
