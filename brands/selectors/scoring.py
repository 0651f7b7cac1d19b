"""What evaluation's online scoring (evaluation/online.py) reads about a branch's brand: how far
it has come and what was published about it in a period — so no other app names brands'
statuses or queries its tables."""

import enum

from django.db.models import Count

from ..models import BrandApplication, MediaPublication, Pairing, Status

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


def brands_for_scoring(unit_ids, starts_on, ends_on) -> dict[int, tuple]:
    """{unit id: (its live application, the media levels of its publications dated within
    [starts_on, ends_on])} for the units that have a live (not rejected) application — a
    unit holds at most one — in two queries, for scoring many units at once."""
    from .applications import live_applications

    applications = {a.pk: a for a in live_applications().filter(unit_id__in=list(unit_ids))}
    levels = {pk: [] for pk in applications}
    for application_id, level in MediaPublication.objects.filter(
        application_id__in=list(applications), published_on__range=(starts_on, ends_on)
    ).values_list("application_id", "media_level"):
        levels[application_id].append(level)
    return {a.unit_id: (a, levels[a.pk]) for a in applications.values()}


#: The six elements of a brand (创建六要素) the five-force table's 品牌要素完整 counts.
SIX_ELEMENTS = ("name", "logo", "slogan", "goal", "measures", "results")


def missing_six_elements(application) -> list[str]:
    """The labels of the six elements (创建六要素) the brand lacks, as its form names them (no
    query): the same checks as a submission's (`brands.services.missing_elements`)."""
    app = application
    present = {
        "name": app.name.strip(),
        "logo": app.logo,
        "slogan": app.slogan.strip(),
        "goal": app.goal.strip(),
        "measures": [m for m in app.measures or [] if str(m).strip()],
        "results": app.results.strip(),
    }
    return [
        str(BrandApplication._meta.get_field(f).verbose_name)
        for f in SIX_ELEMENTS
        if not present[f]
    ]


def pairing_counts(application_ids) -> dict[int, int]:
    """{application id: how many 结对帮扶 it has recorded} for the applications that have any,
    one query."""
    rows = (
        Pairing.objects.filter(application_id__in=list(application_ids))
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    return dict(rows)
