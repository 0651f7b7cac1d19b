from .brand import GroupBrand
from .innovation import InnovationItem, InnovationKind, InnovationStatus
from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
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
