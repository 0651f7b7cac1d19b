from .assessment import GROUP_TABLE_CODE, AssessmentStatus, GroupAssessment, GroupScore
from .brand import GROUP_BRAND_MAX_PHOTOS, GroupBrand, GroupBrandPhoto
from .brand_groups import BrandGroupNomination, NominationStatus
from .innovation import InnovationItem, InnovationKind, InnovationStatus
from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
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
