"""What evaluation's online scoring (evaluation/online.py) reads about a branch's brand: how far
it has come and what was published about it in a period — so no other app names brands'
statuses or queries its tables."""

import enum

from ..models import MediaPublication, Status

#: The levels of the media a publication appeared in (国家级, 省级, 市级, 公司内部).
MediaLevel = MediaPublication.MediaLevel


class BrandStage(enum.Enum):
    """How far a brand has come, as the star table scores it."""

    NOT_APPROVED = "not_approved"  # a draft, in review, returned or rejected
    IMPLEMENTING = "implementing"  # approved: in implementation or its acceptance review
    BUILT = "built"


def brand_stage(application) -> BrandStage:
    if application.status == Status.BUILT:
        return BrandStage.BUILT
    if application.status in (Status.IMPLEMENTING, Status.ACCEPTANCE):
        return BrandStage.IMPLEMENTING
    return BrandStage.NOT_APPROVED


def publication_levels(application, starts_on, ends_on) -> list[str]:
    """The media level (`MediaLevel`) of each publication about the brand dated within
    [starts_on, ends_on], one query."""
    return list(
        MediaPublication.objects.filter(
            application=application, published_on__range=(starts_on, ends_on)
        ).values_list("media_level", flat=True)
    )
