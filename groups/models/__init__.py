from .assessment import GROUP_TABLE_CODE, AssessmentStatus, GroupAssessment, GroupScore
from .brand import GROUP_BRAND_MAX_PHOTOS, GroupBrand, GroupBrandPhoto
from .brand_groups import BrandGroupNomination, NominationStatus
from .innovation import InnovationItem, InnovationKind, InnovationStatus
from .members import (
    COEFFICIENT_DEFAULT,
    COEFFICIENT_MAX,
    COEFFICIENT_MIN,
    TABLE_CODES,
    KpiCoefficient,
    MemberAssessment,
    MemberPeriod,
    MemberScore,
    MemberTable,
    PeriodStatus,
)
from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
    "COEFFICIENT_DEFAULT",
    "COEFFICIENT_MAX",
    "COEFFICIENT_MIN",
    "TABLE_CODES",
    "KpiCoefficient",
    "MemberAssessment",
    "MemberPeriod",
    "MemberScore",
    "MemberTable",
    "PeriodStatus",
    "BrandGroupNomination",
    "NominationStatus",
    "GROUP_TABLE_CODE",
    "AssessmentStatus",
    "GroupAssessment",
    "GroupScore",
    "GROUP_BRAND_MAX_PHOTOS",
    "GroupBrand",
    "GroupBrandPhoto",
    "InnovationItem",
    "InnovationKind",
    "InnovationStatus",
    "PioneerPost",
    "PostKind",
    "PostOutcome",
    "PostReview",
    "PostStatus",
    "SpotCheck",
    "half_of",
]
