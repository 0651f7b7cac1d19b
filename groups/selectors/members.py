"""Reads of the member assessment (党员考评): a branch's periods with their progress, one
period's rows (members named, personal data masked), one assessment with its items, a
member's own published results, the branch's KPI coefficients. A constant number of queries
per page, whatever the number of members."""

from django.db.models import Count, Q, QuerySet

from evaluation.selectors.tables import table_order

from ..models import (
    KpiCoefficient,
    MemberAssessment,
    MemberPeriod,
    MemberScore,
    MemberTable,
    PeriodStatus,
)


def periods_of(branch) -> QuerySet[MemberPeriod]:
    """The branch's periods, newest first, with member and settled counts (one query)."""
    return (
        MemberPeriod.objects.filter(branch=branch)
        .annotate(
            members=Count("assessments"),
            settled=Count("assessments", filter=Q(assessments__scored=True)),
            self_assessed=Count(
                "assessments", filter=Q(assessments__self_submitted_at__isnull=False)
            ),
            exempted=Count("assessments", filter=Q(assessments__exempt=True)),
        )
        .order_by("-year", "table")
    )


def period_for_page(pk) -> MemberPeriod:
    return MemberPeriod.objects.select_related("branch", "version__table").get(pk=pk)


def period_rows(period) -> list[MemberAssessment]:
    """The period's members in name order with their group (one query): what the branch's
    list shows — names, groups, masked phones, never more of the roster."""
    return list(
        MemberAssessment.objects.filter(period=period)
        .select_related("member__party_group")
        .order_by("member__name", "pk")
    )


def assessment_for_page(pk) -> MemberAssessment:
    return MemberAssessment.objects.select_related(
        "period__branch", "period__version__table", "member__party_group", "scored_by"
    ).get(pk=pk)


def scores_of(assessment) -> QuerySet[MemberScore]:
    """The items of an assessment in table order, with their indicator and dimension."""
    return (
        MemberScore.objects.filter(assessment=assessment)
        .select_related("indicator__dimension")
        .order_by(*table_order())
    )


def my_results(user) -> QuerySet[MemberAssessment]:
    """The published results of the roster entry linked to `user`, newest first (one query):
    their own, never anyone else's."""
    return (
        MemberAssessment.objects.filter(
            member__user=user,
            member__user__isnull=False,
            period__status=PeriodStatus.PUBLISHED,
            exempt=False,
        )
        .select_related("period")
        .order_by("-period__year", "period__table")
    )


def my_open(user) -> QuerySet[MemberAssessment]:
    """The user's assessments in periods still open (where they may self-assess)."""
    return (
        MemberAssessment.objects.filter(
            member__user=user,
            member__user__isnull=False,
            period__status=PeriodStatus.OPEN,
            exempt=False,
        )
        .select_related("period")
        .order_by("-period__year", "period__table")
    )


def published_kpi_results(year: int, member_ids) -> dict[int, MemberAssessment]:
    """{member id: their published post-KPI assessment of `year`} (one query): what the 双百
    table's 岗位KPI完成 item is pre-filled from. Exempt members have no result."""
    rows = MemberAssessment.objects.filter(
        member_id__in=list(member_ids),
        exempt=False,
        period__table=MemberTable.POST_KPI,
        period__year=year,
        period__status=PeriodStatus.PUBLISHED,
    ).only("member_id", "total", "max_total", "coefficient", "result", "vetoed")
    return {a.member_id: a for a in rows}


def coefficients_of(branch, year: int) -> dict[int, object]:
    """{member id: coefficient} the branch set for `year` (one query); members not listed
    weigh the default."""
    return dict(
        KpiCoefficient.objects.filter(member__branch=branch, year=year).values_list(
            "member_id", "value"
        )
    )


def grouped_scores(scores) -> list[tuple[object, list[MemberScore]]]:
    groups: dict[int, tuple[object, list]] = {}
    for score in scores:
        dimension = score.indicator.dimension
        groups.setdefault(dimension.pk, (dimension, []))[1].append(score)
    return list(groups.values())
