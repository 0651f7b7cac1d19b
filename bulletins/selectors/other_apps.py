"""Sections from apps still being built (evaluation, flagship): each degrades to `None`
(the bulletin then says 本月无数据) when its models, tables or data are missing."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _lazy

from branches.models import OrgUnit
from brands.selectors.showcase import committee_key, committee_name

from .common import CountsRow, committee_rows, sum_rows, total_label
from .months import month_bounds

log = logging.getLogger(__name__)


def _optional(section: Callable):
    """Run a section of another app inside a savepoint: a missing table (app not migrated yet)
    or a changed model must cost the bulletin that section ("本月无数据"), not the whole file.
    Our own code errors still raise."""

    def run(*args):
        try:
            with transaction.atomic():
                return section(*args)
        except (LookupError, ImportError, DatabaseError, AttributeError) as exc:
            log.warning("bulletin section %s unavailable: %r", section.__name__, exc)
            return None

    run.__name__ = section.__name__
    return run


SUM_KEYS = [
    "assessed",
    "sum_total",
    "scored",
    "sum_rate",
    "rated",
    "star5",
    "star4",
    "tier3",
    "vetoed",
]


def _mean(total, count):
    return None if not count or total is None else Decimal(total) / count


@dataclass
class RankingSection:
    period: object  # evaluation.models.AssessmentPeriod
    rows: list[CountsRow]
    totals: CountsRow
    top: list[tuple]  # (rank, committee, branch, category label, total, rate, star)


TOP_N = 10


@_optional
def ranking_section(scope: OrgUnit, month: date) -> RankingSection | None:
    """Highlights of the latest assessment period that ended by the month's end and has
    published results in the scope: per committee the number assessed, average score and rate,
    five-star and four-star counts, tier-three (below three stars) and vetoed counts, and the
    scope's top ten. Three queries."""
    Assessment = apps.get_model("evaluation", "Assessment")
    AssessmentPeriod = apps.get_model("evaluation", "AssessmentPeriod")
    published = "published"  # evaluation.models.Status.PUBLISHED
    _start, end = month_bounds(month)
    in_scope = Assessment.objects.filter(status=published, unit__path__startswith=scope.path)
    period = (
        AssessmentPeriod.objects.filter(ends_on__lt=end.date())
        .filter(Exists(in_scope.filter(period=OuterRef("pk"))))
        .select_related("table_version__table")
        .order_by("-ends_on", "-starts_on", "-pk")
        .first()
    )
    if period is None:
        return None
    base = in_scope.filter(period=period)
    groups = list(
        base.annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(
            assessed=Count("pk"),
            sum_total=Sum("total"),
            scored=Count("total"),
            sum_rate=Sum("rate"),
            rated=Count("rate"),
            star5=Count("pk", filter=Q(star=5)),
            star4=Count("pk", filter=Q(star=4)),
            tier3=Count("pk", filter=Q(tier=3)),
            vetoed=Count("pk", filter=Q(is_vetoed=True)),
        )
        .order_by()
    )
    rows = committee_rows(groups, SUM_KEYS)
    totals = sum_rows(rows, SUM_KEYS, total_label(scope))
    for row in [*rows, totals]:  # averages from sums: the total needs no second scan
        row.values["avg_total"] = _mean(row["sum_total"], row["scored"])
        row.values["avg_rate"] = _mean(row["sum_rate"], row["rated"])
    categories = dict(Assessment._meta.get_field("category").choices)
    top = [
        (rank, committee or "", unit, str(categories.get(cat, cat or "")), total, rate, star)
        for rank, committee, unit, cat, total, rate, star in base.annotate(
            committee_label=committee_name("unit__path")
        )
        .order_by(F("rank_province").asc(nulls_last=True), F("total").desc(nulls_last=True), "pk")
        .values_list(
            "rank_province", "committee_label", "unit__name", "category", "total", "rate", "star"
        )[:TOP_N]
    ]
    return RankingSection(period, rows, totals, top)


@dataclass
class FlagshipSection:
    cycle: object | None
    phase: str  # the cycle's phase label, if the cycle has one
    statuses: list[tuple[str, str]]  # (value, label) in the model's order
    honours: list[tuple[str, str]]  # (flag, label) of the honours the model records
    rows: list[CountsRow]
    totals: CountsRow


#: Honours counted next to the statuses, when the candidacy model has the flag.
FLAGSHIP_HONOURS = [("is_unit", _lazy("示范单位")), ("is_base", _lazy("示范基地"))]


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _flagship_cycle(Cycle, month: date):
    """The cycle the month falls in (by its years, if it has them), else the latest one begun
    by the month's end."""
    names = _field_names(Cycle)
    cycles = Cycle.objects.all()
    if {"year_start", "year_end"} <= names:
        current = cycles.filter(year_start__lte=month.year, year_end__gte=month.year)
        cycle = current.order_by("-year_start", "-pk").first()
        if cycle is not None:
            return cycle
        cycles = cycles.filter(year_start__lte=month.year)
    elif "created_at" in names:
        cycles = cycles.filter(created_at__lt=month_bounds(month)[1])
    return cycles.order_by("-pk").first()


@_optional
def flagship_section(scope: OrgUnit, month: date) -> FlagshipSection | None:
    """Flagship candidacies of the month's cycle in the scope, per committee: how many in each
    status, and the demonstration units and bases named. Reads `flagship.Candidacy` (unit,
    status, optionally cycle and the honour flags) as far as that app provides them; one
    grouped query."""
    Candidacy = apps.get_model("flagship", "Candidacy")
    names = _field_names(Candidacy)
    if not {"unit", "status"} <= names:
        return None
    qs = Candidacy.objects.filter(unit__path__startswith=scope.path)
    cycle, phase = None, ""
    if "cycle" in names:
        cycle = _flagship_cycle(Candidacy._meta.get_field("cycle").related_model, month)
        if cycle is None:
            return None
        qs = qs.filter(cycle=cycle)
        phase = str(getattr(cycle, "get_phase_display", str)())
    statuses = [(str(v), str(label)) for v, label in Candidacy._meta.get_field("status").choices]
    honours = [(flag, str(label)) for flag, label in FLAGSHIP_HONOURS if flag in names]
    counts = {value: Count("pk", filter=Q(status=value)) for value, _label in statuses}
    counts.update({flag: Count("pk", filter=Q(**{flag: True})) for flag, _label in honours})
    groups = list(
        qs.annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(**counts)
        .order_by()
    )
    if not groups:
        return None
    keys = list(counts)
    rows = committee_rows(groups, keys)
    totals = sum_rows(rows, keys, total_label(scope))
    return FlagshipSection(cycle, phase, statuses, honours, rows, totals)
