"""Published results as other apps read them (flagship's eligibility and scoring table, the
monthly bulletin's ranking highlights). The only entry points into evaluation's results for
another app: narrow, read-only, and what "published" means stays here (`Status.PUBLISHED`),
so evaluation may rename a status or a column without breaking its readers.

* `latest_published(unit_ids, table_codes)` — per unit and table, the latest published result;
* `latest_published_period(scope_path, ends_before)` — the latest period with published results
  in a subtree; `committee_figures(period, scope_path)` and `top_results(period, scope_path, n)`
  — its counts per committee and its best results;
* `tiered_results(period, scope_path, tiers)` — the results just published in a tier (what the
  tiers' follow-up opens: rectification, the brand invitation); `weakest_items(assessment_id)`
  — the items a result lost most points on, and `result_of(assessment_id)` — one result.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from branches.selectors import committee_key, committee_name
from common.formats import points

from ..models import Assessment, AssessmentPeriod, AssessmentScore, IndicatorKind, Status

#: Codes of shipped tables that other apps name (migrations/0002_default_tables.py).
SIX_GOOD = "six-good"
FIVE_FORCES = "brand-five-forces"


@dataclass(frozen=True)
class PublishedResult:
    unit_id: int
    table_code: str
    period_name: str
    period_ends_on: date
    total: Decimal | None
    max_total: Decimal | None
    rate: Decimal | None
    is_vetoed: bool
    veto_reason: str
    #: The result's place among the period's published results (1 + how many scored more:
    #: ties share a place) and how many there are — the standing flagship asks about.
    place: int | None = None
    of: int | None = None


def _published():
    return Assessment.objects.filter(status=Status.PUBLISHED)


#: Up to this many units, an unranked `latest_published` reads their published results and
#: keeps each unit's and table's latest in Python (`_latest_of_few`): the same rows, without
#: the window query the ORM builds again on every call (the 工作台's flagship hint reads a
#: secretary's branches on every view).
FEW_UNITS = 20


def latest_published(unit_ids, table_codes, *, ranked: bool = True) -> list[PublishedResult]:
    """The latest published result (by the period's end date) of each unit in each of the
    tables `table_codes`, with its place among the period's published results: one query, a
    window function per unit and table, two counts off the (period, status, total) index.
    `ranked=False`: without the place (None), and without those two counts (a reader of the
    veto only). In no particular order (readers key them by unit and table): without the
    model's ordering, the query joins no unit and compiles no ordering it would not use."""
    unit_ids = list(unit_ids)
    if not ranked and len(unit_ids) <= FEW_UNITS:
        return _latest_of_few(unit_ids, table_codes)
    same_period = _published().filter(period_id=OuterRef("period_id")).order_by()
    ranks = (
        {
            "ahead": _count(same_period.filter(total__gt=OuterRef("total"))),
            "of": _count(same_period),
        }
        if ranked
        else {}
    )
    rows = (
        _published()
        .filter(unit_id__in=list(unit_ids), period__table_version__table__code__in=table_codes)
        .annotate(
            table_code=F("period__table_version__table__code"),
            period_name=F("period__name"),
            period_end=F("period__ends_on"),
            row=Window(
                RowNumber(),
                partition_by=[F("unit_id"), F("period__table_version__table__code")],
                order_by=[F("period__ends_on").desc(), F("pk").desc()],
            ),
            **ranks,
        )
        .filter(row=1)
        .order_by()
        .values_list(
            "unit_id",
            "table_code",
            "period_name",
            "period_end",
            "total",
            "max_total",
            "rate",
            "is_vetoed",
            "veto_reason",
            *ranks,
        )
    )
    if not ranked:
        return [PublishedResult(*row) for row in rows]
    return [PublishedResult(*row[:-2], place=row[-2] + 1, of=row[-1]) for row in rows]


def _latest_of_few(unit_ids, table_codes) -> list[PublishedResult]:
    """`latest_published(..., ranked=False)` for a few units: every published result of theirs
    in the tables (a unit has one per period), the latest per unit and table kept by the
    window's order (the period's end, then the newest row)."""
    rows = (
        _published()
        .filter(unit_id__in=unit_ids, period__table_version__table__code__in=table_codes)
        .order_by()
        .values_list(
            "unit_id",
            "period__table_version__table__code",
            "period__name",
            "period__ends_on",
            "total",
            "max_total",
            "rate",
            "is_vetoed",
            "veto_reason",
            "pk",
        )
    )
    latest = {}
    for row in rows:
        kept = latest.get(row[:2])
        if kept is None or (row[3], row[-1]) > (kept[3], kept[-1]):
            latest[row[:2]] = row
    return [PublishedResult(*row[:-1]) for row in latest.values()]


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery (0 when empty)."""
    counted = queryset.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def _in_subtree(scope_path: str):
    return _published().filter(unit__path__startswith=scope_path)


def latest_published_period(scope_path: str, ends_before: date) -> AssessmentPeriod | None:
    """The latest period (by end, then start) ending before `ends_before` that has published
    results in the subtree at `scope_path`, with its table loaded; one query."""
    return (
        AssessmentPeriod.objects.filter(ends_on__lt=ends_before)
        .filter(Exists(_in_subtree(scope_path).filter(period=OuterRef("pk"))))
        .select_related("table_version__table")
        .order_by("-ends_on", "-starts_on", "-pk")
        .first()
    )


#: The counts `committee_figures` gives per committee (sums and counts, so totals add up).
COMMITTEE_FIGURES = [
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


def committee_figures(period: AssessmentPeriod, scope_path: str) -> list[dict]:
    """The period's published results in the subtree grouped per committee (one query): a dict
    per committee with `committee_path` and the `COMMITTEE_FIGURES` — how many assessed, sum
    and count of totals and rates, five-star, four-star, tier-three and vetoed counts."""
    return list(
        _in_subtree(scope_path)
        .filter(period=period)
        .annotate(committee_path=committee_key("unit__path"))
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


def top_results(period: AssessmentPeriod, scope_path: str, n: int) -> list[tuple]:
    """The period's `n` best published results in the subtree, by province rank (then total):
    (rank, committee name, unit name, category label, total, rate, star); one query."""
    categories = dict(Assessment._meta.get_field("category").choices)
    rows = (
        _in_subtree(scope_path)
        .filter(period=period)
        .annotate(committee_label=committee_name("unit__path"))
        .order_by(F("rank_province").asc(nulls_last=True), F("total").desc(nulls_last=True), "pk")
        .values_list(
            "rank_province", "committee_label", "unit__name", "category", "total", "rate", "star"
        )[:n]
    )
    return [
        (rank, committee or "", unit, str(categories.get(cat, cat or "")), total, rate, star)
        for rank, committee, unit, cat, total, rate, star in rows
    ]


@dataclass(frozen=True)
class TieredResult:
    assessment_id: int
    unit_id: int
    unit_path: str
    star: int | None
    tier: int
    total: Decimal | None
    rate: Decimal | None


def tiered_results(period: AssessmentPeriod, scope_path: str, tiers) -> list[TieredResult]:
    """The period's published results in the subtree at `scope_path` whose tier is one of
    `tiers`; one query."""
    rows = (
        _in_subtree(scope_path)
        .filter(period=period, tier__in=list(tiers))
        .order_by("pk")
        .values_list("pk", "unit_id", "unit__path", "star", "tier", "total", "rate")
    )
    return [TieredResult(*row) for row in rows]


@dataclass(frozen=True)
class ResultSummary:
    assessment_id: int
    period_name: str
    unit_id: int
    star: int | None
    tier: int | None
    total: Decimal | None
    rate: Decimal | None
    is_published: bool


def result_of(assessment_id) -> ResultSummary | None:
    """One assessment's result as another app shows it (e.g. the brand invitation's pre-filled
    text); None when it is gone (an aggregate recomputed). One query."""
    row = (
        Assessment.objects.filter(pk=assessment_id)
        .values_list("pk", "period__name", "unit_id", "star", "tier", "total", "rate", "status")
        .first()
    )
    if row is None:
        return None
    *fields, status = row
    return ResultSummary(*fields, is_published=status == Status.PUBLISHED)


def weakest_items(assessment_id, n: int = 5) -> list[str]:
    """The items a published result lost most on, worst first, as "维度 · 指标：得分/分值" lines
    (what a rectification plan starts from): earning items by the share of their points
    missed, deductions and triggered vetoes first. One query."""
    rows = (
        AssessmentScore.objects.filter(assessment_id=assessment_id)
        .select_related("indicator__dimension")
        .only(
            "reviewed_score",
            "reason",
            "indicator__name",
            "indicator__kind",
            "indicator__max_points",
            "indicator__dimension__name",
        )
    )
    scored = []
    for s in rows:
        i, got = s.indicator, s.reviewed_score or 0
        if i.kind in (IndicatorKind.DEDUCTION, IndicatorKind.VETO):
            if got > 0:
                missing = 2  # before every earning item
                text = f"{i.dimension.name} · {i.name}：{i.get_kind_display()} {points(got)}"
            else:
                continue
        else:
            if not i.max_points or got >= i.max_points:
                continue
            missing = 1 - got / i.max_points
            text = f"{i.dimension.name} · {i.name}：{points(got)}/{points(i.max_points)}"
        if s.reason:
            text += f"（{s.reason}）"
        scored.append((-missing, text))
    return [text for _m, text in sorted(scored)[:n]]


def leading_results(period, count: int) -> list[Assessment]:
    """The period's best `count` published results province-wide, vetoed ones left out, by
    province rank (ties at the cut all included, so the list may run past `count`): what a
    推先表彰 round proposes. Two queries."""
    ranked = (
        period.assessments.filter(
            status=Status.PUBLISHED, is_vetoed=False, rank_province__isnull=False
        )
        .select_related("unit")
        .order_by("rank_province", "unit_id")
    )
    cut = ranked.values_list("rank_province", flat=True)[count - 1 : count]
    if not cut:  # fewer results than places: all of them
        return list(ranked)
    return list(ranked.filter(rank_province__lte=cut[0]))


def ranked_periods():
    """Periods with a published province-wide ranking, latest first (a round's source)."""
    return (
        AssessmentPeriod.objects.filter(
            assessments__status=Status.PUBLISHED, assessments__rank_province__isnull=False
        )
        .distinct()
        .select_related("scope")
        .order_by("-ends_on", "-pk")
    )
