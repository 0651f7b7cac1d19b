"""Reads of the acceptance scores (验收评审 on the five-force table, brands/acceptance.py): the
brand page's score card, and what flagship's standing rule reads — the only entry into these
rows for another app (`acceptance_results_for`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluation.selectors.tables import table_order

from ..models import AcceptanceItemScore, AcceptanceReview


def current_review(application) -> AcceptanceReview | None:
    """The brand's latest acceptance judgement with its items (indicator and dimension) in
    table order, and its reviewer; two queries. None before its first scored acceptance."""
    items = AcceptanceItemScore.objects.select_related("indicator__dimension").order_by(
        *table_order()
    )
    return (
        AcceptanceReview.objects.filter(application=application, current=True)
        .select_related("table_version__table", "reviewed_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


def review_count(application) -> int:
    return AcceptanceReview.objects.filter(application=application).count()


@dataclass(frozen=True)
class AcceptanceResult:
    """A brand's latest passed acceptance score on the five-force table, with its place among
    the latest passed acceptance scores of every brand (by rate: 1 + how many rated higher,
    ties share a place) and how many there are."""

    unit_id: int
    total: Decimal
    max_total: Decimal
    rate: Decimal
    star: int | None
    reviewed_on: date
    place: int | None  # None: not ranked (`ranked=False`)
    of: int | None


def _count(queryset):
    counted = queryset.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def acceptance_results_for(unit_ids, *, ranked: bool = True) -> dict[int, AcceptanceResult]:
    """{unit id: AcceptanceResult} for the units among `unit_ids` whose brand passed its latest
    acceptance, in one query (two counts off the `brand_acceptance_standing` index). A unit
    holds at most one live brand; a unit without a scored acceptance is left out.
    `ranked=False`: without the place and count (None) and their two counts."""
    standing = AcceptanceReview.objects.filter(current=True, passed=True).order_by()
    if ranked:
        ranks = {
            "ahead": _count(standing.filter(rate__gt=OuterRef("rate"))),
            "of": _count(standing),
        }
    else:
        ranks = {
            "ahead": Value(None, output_field=IntegerField()),
            "of": Value(None, output_field=IntegerField()),
        }
    rows = (
        standing.filter(application__unit_id__in=list(unit_ids))
        .annotate(unit_id=F("application__unit_id"), **ranks)
        .values_list("unit_id", "total", "max_total", "rate", "star", "reviewed_at", "ahead", "of")
    )
    return {
        row[0]: AcceptanceResult(
            unit_id=row[0],
            total=row[1],
            max_total=row[2],
            rate=row[3],
            star=row[4],
            reviewed_on=timezone.localdate(row[5]),
            place=None if row[6] is None else row[6] + 1,
            of=row[7],
        )
        for row in rows
    }
