from .assessment import GROUP_TABLE_CODE, AssessmentStatus, GroupAssessment, GroupScore
from .brand import GroupBrand
from .innovation import InnovationItem, InnovationKind, InnovationStatus
from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
    "GROUP_TABLE_CODE",
    "AssessmentStatus",
    "GroupAssessment",
    "GroupScore",
    "GroupBrand",
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
