"""Reads of scoring tables."""

from django.db.models import Prefetch, Q, QuerySet

from .. import scoring
from ..models import (
    Dimension,
    DimensionWeight,
    Indicator,
    ScoringTable,
    TableVersion,
    VersionStatus,
)

#: A table's items in table order: dimension, then item, each by its sort order, then id.
INDICATOR_ORDER = ("dimension__sort_order", "dimension_id", "sort_order", "pk")


def table_order(indicator: str = "indicator") -> tuple[str, ...]:
    """`INDICATOR_ORDER` for rows that point at an indicator through `indicator` (a score row
    of any app: its items in table order)."""
    return tuple(f"{indicator}__{field}" for field in INDICATOR_ORDER)


def indicators_for(version_id: int, category: str = "") -> list[Indicator]:
    """The items of a version that apply to a unit of `category`, in table order, with their
    dimension (one query)."""
    return list(
        Indicator.objects.filter(dimension__version_id=version_id)
        .filter(Q(category="") | Q(category=category))
        .select_related("dimension")
        .order_by(*INDICATOR_ORDER)
    )


def weights_for(version_id: int, category: str = "") -> dict[int, object]:
    """{dimension id: weight} the version sets for branches of `category` (分类权重; one
    query). Dimensions not listed weigh 1 (`scoring.weight_of`)."""
    if not category:
        return {}
    return dict(
        DimensionWeight.objects.filter(
            dimension__version_id=version_id, category=category
        ).values_list("dimension_id", "weight")
    )


def weights_by_version(version_id: int) -> dict[int, dict[str, object]]:
    """{dimension id: {category: weight}} of a version (one query): the table page and the
    xlsx export show them."""
    found: dict[int, dict[str, object]] = {}
    rows = DimensionWeight.objects.filter(dimension__version_id=version_id).order_by(
        "dimension_id", "category"
    )
    for dimension_id, category, weight in rows.values_list("dimension_id", "category", "weight"):
        found.setdefault(dimension_id, {})[category] = weight
    return found


def as_items(indicators) -> list[scoring.Item]:
    return [
        scoring.Item(i.pk, i.dimension_id, i.kind, i.max_points, i.category) for i in indicators
    ]


def grouped(indicators) -> list[tuple[Dimension, list[Indicator]]]:
    """Indicators grouped under their dimension, keeping order."""
    groups: dict[int, tuple[Dimension, list]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.dimension_id, (indicator.dimension, []))[1].append(indicator)
    return list(groups.values())


def published_versions() -> QuerySet[TableVersion]:
    return (
        TableVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("table")
        .order_by("table__sort_order", "table__code", "-number")
    )


def tables_with_versions() -> QuerySet[ScoringTable]:
    return ScoringTable.objects.prefetch_related(
        Prefetch("versions", queryset=TableVersion.objects.order_by("-number"))
    ).order_by("sort_order", "code")


def version_with_rows(pk: int) -> tuple[TableVersion, list[tuple[Dimension, list[Indicator]]]]:
    version = TableVersion.objects.select_related("table").get(pk=pk)
    indicators = (
        Indicator.objects.filter(dimension__version=version)
        .select_related("dimension")
        .order_by("dimension__sort_order", "dimension_id", "sort_order", "pk")
    )
    return version, grouped(indicators)


def latest_published(code: str) -> tuple[TableVersion | None, list[Indicator]]:
    """The newest published version of table `code` with its items in table order (two
    queries); (None, []) when the table has none. What another app scoring on a table reads."""
    version = (
        TableVersion.objects.filter(table__code=code, status=VersionStatus.PUBLISHED)
        .select_related("table")
        .order_by("-number")
        .first()
    )
    return (version, indicators_for(version.pk)) if version else (None, [])
