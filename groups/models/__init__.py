from .innovation import InnovationItem, InnovationKind, InnovationStatus
from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
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
