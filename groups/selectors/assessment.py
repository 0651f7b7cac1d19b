"""Reads of the quarterly party-group assessment (党小组动态考评): what the prefill reads of a
group's quarter, a branch's quarter and year (accumulated, ranked within the branch), one
assessment with its items, a group's published results. Constant queries per page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from branches.selectors import scope_filter
from evaluation.selectors.tables import table_order
from ledger import selectors as ledger_selectors
from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    AssessmentStatus,
    BrandGroupNomination,
    GroupAssessment,
    GroupScore,
    InnovationItem,
    InnovationStatus,
    NominationStatus,
    PostReview,
)
from ..quarters import Quarter


def _instants(quarter: Quarter) -> tuple[datetime.datetime, datetime.datetime]:
    return start_of_local_day(quarter.start), end_of_local_day(quarter.end)


def innovation_counts(branch, quarter: Quarter) -> dict[int, tuple[int, int]]:
    """{group id: (items filed in the quarter, of them selected or recommended)}: one query.
    An item counts for the group its member had when it was filed."""
    first, last = _instants(quarter)
    rows = (
        InnovationItem.objects.filter(
            branch=branch, party_group__isnull=False, filed_at__gte=first, filed_at__lt=last
        )
        .values("party_group_id")
        .annotate(
            filed=Count("pk"),
            selected=Count(
                "pk",
                filter=Q(status__in=[InnovationStatus.SELECTED, InnovationStatus.RECOMMENDED]),
            ),
        )
        .order_by()
    )
    return {r["party_group_id"]: (r["filed"], r["selected"]) for r in rows}


def review_counts(branch, quarter: Quarter) -> dict[int, tuple[int, int]]:
    """{group id: (pioneer-post reviews recorded in the quarter, of them "led by example")} for
    posts of the branch, by the member's current group: one query."""
    first, last = _instants(quarter)
    rows = (
        PostReview.objects.filter(
            post__branch=branch,
            post__member__party_group__isnull=False,
            created_at__gte=first,
            created_at__lt=last,
        )
        .values("post__member__party_group_id")
        .annotate(n=Count("pk"), led=Count("pk", filter=Q(led_by_example=True)))
        .order_by()
    )
    return {r["post__member__party_group_id"]: (r["n"], r["led"]) for r in rows}


def group_meetings(branch, quarter: Quarter) -> dict:
    """{group id: ledger GroupMeetings} for the quarter (the ledger's selector)."""
    return ledger_selectors.group_meetings(branch, quarter.start, quarter.end)


def of_quarter(branch, quarter: Quarter, *, drafts: bool) -> dict[int, GroupAssessment]:
    """The branch's assessments of a quarter by group id (drafts only for its keepers)."""
    found = GroupAssessment.objects.filter(branch=branch, year=quarter.year, quarter=quarter.number)
    if not drafts:
        found = found.filter(status=AssessmentStatus.SUBMITTED)
    return {a.group_id: a for a in found}


@dataclass
class QuarterRow:
    group: object
    assessment: GroupAssessment | None


def quarter_rows(branch, quarter: Quarter, *, drafts: bool) -> list[QuarterRow]:
    """Each active group of the branch with its assessment of the quarter, if any (two
    queries), plus groups no longer active that were assessed."""
    found = of_quarter(branch, quarter, drafts=drafts)
    groups = list(ledger_selectors.groups_of(branch))
    rows = [QuarterRow(g, found.pop(g.pk, None)) for g in groups]
    if found:  # assessed, since dissolved
        by_pk = {g.pk: g for g in ledger_selectors.groups_of(branch, active_only=False)}
        rows += [QuarterRow(by_pk[pk], a) for pk, a in found.items() if pk in by_pk]
    return rows


@dataclass
class YearRow:
    group_name: str
    group_id: int
    quarters: list  # total per quarter 1–4, None when not published
    total: object
    vetoed: int
    rank: int = 0


def year_table(branch, year: int) -> list[YearRow]:
    """The branch's published results of `year` per group: each quarter's total, the year's
    accumulated score (得分累计) and the rank within the branch (ties share a rank): one
    query, summed by the database."""
    sums = {f"q{n}": Sum("total", filter=Q(quarter=n)) for n in range(1, 5)}
    counts = {f"c{n}": Count("pk", filter=Q(quarter=n)) for n in range(1, 5)}
    rows = (
        GroupAssessment.objects.filter(branch=branch, year=year, status=AssessmentStatus.SUBMITTED)
        .values("group_id", "group__name")
        .annotate(
            **sums, **counts, accumulated=Sum("total"), vetoed=Count("pk", filter=Q(vetoed=True))
        )
        .order_by("-accumulated", "group__name")
    )
    table = [
        YearRow(
            r["group__name"],
            r["group_id"],
            [r[f"q{n}"] if r[f"c{n}"] else None for n in range(1, 5)],
            r["accumulated"],
            r["vetoed"],
        )
        for r in rows
    ]
    for place, row in enumerate(table, 1):
        previous = table[place - 2] if place > 1 else None
        row.rank = previous.rank if previous and previous.total == row.total else place
    return table


def assessment_for_page(pk) -> GroupAssessment:
    """One assessment with its branch, group (and leader) and table version."""
    return GroupAssessment.objects.select_related(
        "branch", "group__leader", "version__table", "submitted_by"
    ).get(pk=pk)


def scores_of(assessment: GroupAssessment) -> QuerySet[GroupScore]:
    """The items of an assessment in table order, with their indicator and dimension."""
    return (
        GroupScore.objects.filter(assessment=assessment)
        .select_related("indicator__dimension")
        .order_by(*table_order())
    )


def published_of_group(group, year: int | None = None) -> QuerySet[GroupAssessment]:
    """A group's published quarterly results, newest first."""
    found = GroupAssessment.objects.filter(group=group, status=AssessmentStatus.SUBMITTED)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-year", "-quarter")


def grouped_scores(scores) -> list[tuple[object, list[GroupScore]]]:
    """Scores under their dimension, keeping order."""
    groups: dict[int, tuple[object, list]] = {}
    for score in scores:
        dimension = score.indicator.dimension
        groups.setdefault(dimension.pk, (dimension, []))[1].append(score)
    return list(groups.values())


# --- 品牌党小组 ----------------------------------------------------------------------------------


def nominations_of(branch, year: int) -> QuerySet[BrandGroupNomination]:
    return (
        BrandGroupNomination.objects.filter(branch=branch, year=year)
        .select_related("group")
        .order_by("rank", "pk")
    )


def pending_nominations(user) -> QuerySet[BrandGroupNomination]:
    """Proposals waiting in the reader's subtree, oldest first (for the reviewers above)."""
    return (
        scope_filter(
            BrandGroupNomination.objects.filter(status=NominationStatus.PROPOSED),
            user,
            unit_field="branch",
        )
        .select_related("branch", "group")
        .order_by("proposed_at", "pk")
    )


def honours_of(group) -> list[int]:
    """The years the group was confirmed as a 品牌党小组, newest first."""
    return list(
        BrandGroupNomination.objects.filter(group=group, status=NominationStatus.CONFIRMED)
        .order_by("-year")
        .values_list("year", flat=True)
    )
