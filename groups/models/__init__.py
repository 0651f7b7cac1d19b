from .posts import PioneerPost, PostKind, PostOutcome, PostReview, PostStatus, SpotCheck, half_of

__all__ = [
    "PioneerPost",
    "PostKind",
    "PostOutcome",
    "PostReview",
    "PostStatus",
    "SpotCheck",
    "half_of",
]
