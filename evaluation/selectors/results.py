"""Reads of results: rankings, a branch's trend over periods, the radar data and the
per-indicator detail. Ranks are computed by the database with window functions when a
period's results are published (`services.ranking.refresh_ranks`) and read here as columns."""

from django.db.models import Avg, QuerySet

from ..models import Assessment, AssessmentScore, BonusItem, DimensionScore, Status
from .periods import scoped


def rankings(user, period, *, category="", region=None, q="") -> QuerySet[Assessment]:
    """Published results of the period within the user's subtree, best first; the ranks are
    those among all published results of the period (category, region, province-wide). Ties
    in rank are listed by unit id, so the order is read off the index eval_period_rank."""
    qs = scoped(user, period, period.assessments.filter(status=Status.PUBLISHED))
    if category:
        qs = qs.filter(category=category)
    if region is not None:
        qs = qs.filter(region=region)
    if q:
        qs = qs.filter(unit__name__icontains=q)
    return qs.select_related("unit", "region").order_by("rank_province", "unit_id")


def trend(unit, table=None) -> QuerySet[Assessment]:
    """The unit's published results over time, oldest first (one query)."""
    qs = Assessment.objects.filter(unit=unit, status=Status.PUBLISHED)
    if table is not None:
        qs = qs.filter(period__table_version__table=table)
    return qs.select_related("period", "period__table_version__table").order_by(
        "period__starts_on", "period__kind", "pk"
    )


def tables_in_trend(unit):
    """The tables the unit has published results in (for the trend's table switch)."""
    from ..models import ScoringTable

    return ScoringTable.objects.filter(
        versions__periods__assessments__unit=unit,
        versions__periods__assessments__status=Status.PUBLISHED,
    ).distinct()


def radar(assessment) -> list[dict]:
    """Per dimension: the unit's score, the dimension maximum and the average of the published
    results of the same category in the same period (two queries: the unit's rows as values,
    the averages as one aggregate)."""
    own = (
        DimensionScore.objects.filter(assessment=assessment)
        .order_by("dimension__sort_order", "dimension_id")
        .values_list("dimension_id", "dimension__name", "score", "max_points")
    )
    averages = dict(
        DimensionScore.objects.filter(
            assessment__period_id=assessment.period_id,
            assessment__category=assessment.category,
            assessment__status=Status.PUBLISHED,
        )
        .values("dimension_id")
        .annotate(avg=Avg("score"))
        .order_by()
        .values_list("dimension_id", "avg")
    )
    return [
        {"name": name, "score": score, "max": max_points, "average": averages.get(dimension_id)}
        for dimension_id, name, score, max_points in own
    ]


def score_rows(assessment, *, adjusters=True) -> dict[int, AssessmentScore]:
    """{indicator id: score row} of the assessment (one query), with who adjusted each
    (`adjusted_by`) loaded in the same query when `adjusters` (the review form shows them)."""
    scores = assessment.scores.all()
    if adjusters:
        scores = scores.select_related("adjusted_by")
    return {s.indicator_id: s for s in scores}


def carried_evidence(assessment, indicators):
    """What the unit wrote as evidence in its latest earlier assessment on the same table, for
    the self-assessment form to start from (a secretary types a standing fact once): that
    assessment's period and the texts by id of `indicators`, matched by dimension and
    indicator code so a newer version of the table still matches; (None, {}) when nothing
    matches. Two queries; nothing is saved until the secretary saves."""
    previous = (
        Assessment.objects.filter(
            unit_id=assessment.unit_id,
            period__table_version__table_id=assessment.period.table_version.table_id,
            period__starts_on__lt=assessment.period.starts_on,
            period__is_aggregate=False,
            scores__evidence__gt="",
        )
        .select_related("period")
        .order_by("-period__starts_on", "-pk")
        .first()
    )
    if previous is None:
        return None, {}
    texts = {
        (dimension, code): text
        for dimension, code, text in AssessmentScore.objects.filter(assessment=previous)
        .exclude(evidence="")
        .values_list("indicator__dimension__code", "indicator__code", "evidence")
    }
    carried = {
        i.pk: texts[(i.dimension.code, i.code)]
        for i in indicators
        if (i.dimension.code, i.code) in texts
    }
    return (previous.period if carried else None), carried


def bonus_items(assessment) -> list[BonusItem]:
    """The assessment's bonus items (加分项) with who recorded them, oldest first (one query;
    none when its `bonus`, the sum of its items' positive points, is 0: it has no items)."""
    if not assessment.bonus:
        return []
    return list(
        BonusItem.objects.filter(assessment=assessment)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
