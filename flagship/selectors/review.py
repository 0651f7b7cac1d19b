"""Reads of the committee's review: each candidate's committee score (mean or median of the
members' totals, as the cycle says), its spread (population standard deviation) and whether
the members disagree; and who may see what.

Visibility rule: a member sees the other members' scores of a candidate, and its aggregates,
only once they have submitted their own score for it. The chair is a member like the others,
so the spread and the flags appear on the chair's screen candidate by candidate as the chair
scores. Non-members never see committee scores before the awards are published.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Prefetch, Sum

from ..models import (
    Candidacy,
    CandidacyStatus,
    CommitteeScore,
    CommitteeScoreItem,
    ReviewCriterion,
    ScoreAggregate,
)

CENT = Decimal("0.01")


@dataclass
class CommitteeResult:
    candidacy: Candidacy
    count: int
    mean: Decimal | None
    median: Decimal | None
    stdev: Decimal | None
    score: Decimal | None
    rate: Decimal | None
    flagged: bool
    visible: bool = True


def _q(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT)


def _stdev(mean, mean_square) -> Decimal | None:
    if mean is None or mean_square is None:
        return None
    variance = max(float(mean_square) - float(mean) ** 2, 0.0)
    return _q(math.sqrt(variance))


def max_total(cycle) -> Decimal:
    return ReviewCriterion.objects.filter(cycle=cycle).aggregate(t=Sum("max_points"))["t"] or 0


def criteria_of(cycle):
    return list(cycle.criteria.all())


def candidates(cycle):
    """The accepted candidates of a cycle (the committee's work list), in tree order."""
    return (
        cycle.candidacies.filter(status=CandidacyStatus.ACCEPTED)
        .select_related("unit", "brand")
        .order_by("unit__path")
    )


def committee_results(cycle, queryset=None) -> list[CommitteeResult]:
    """Every accepted candidate with its committee score, best first (unscored last). Count,
    mean and spread come from one aggregate query; the median from one query of the totals
    (a committee is a handful of members)."""
    qs = (queryset if queryset is not None else candidates(cycle)).annotate(
        n_scores=Count("scores"),
        mean_total=Avg("scores__total"),
        # E[x²], for the population standard deviation sqrt(E[x²] − E[x]²): portable, where
        # SQLite's STDDEV_POP fails on a candidate nobody has scored yet.
        mean_square=Avg(F("scores__total") * F("scores__total")),
    )
    totals = defaultdict(list)
    for cid, total in CommitteeScore.objects.filter(candidacy__cycle=cycle).values_list(
        "candidacy_id", "total"
    ):
        totals[cid].append(total)
    top = max_total(cycle)
    threshold = cycle.disagreement_threshold
    rows = []
    for c in qs:
        mean = _q(c.mean_total)
        median = _q(statistics.median(totals[c.pk])) if totals[c.pk] else None
        score = median if cycle.score_aggregate == ScoreAggregate.MEDIAN else mean
        stdev = _stdev(c.mean_total, c.mean_square) if c.n_scores else None
        rows.append(
            CommitteeResult(
                candidacy=c,
                count=c.n_scores,
                mean=mean,
                median=median,
                stdev=stdev,
                score=score,
                rate=(score * 100 / top).quantize(CENT) if score is not None and top else None,
                flagged=bool(c.n_scores >= 2 and stdev is not None and stdev > threshold),
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.candidacy.unit.path))
    return rows


def scored_by(user, cycle) -> set[int]:
    """The candidates this user has scored (and may therefore see the others' scores of)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        CommitteeScore.objects.filter(candidacy__cycle=cycle, member=user).values_list(
            "candidacy_id", flat=True
        )
    )


def board(user, cycle) -> list[CommitteeResult]:
    """The committee board as this member may see it: aggregates only where they scored."""
    mine = scored_by(user, cycle)
    rows = committee_results(cycle)
    for row in rows:
        row.visible = row.candidacy.pk in mine
        if not row.visible:
            row.mean = row.median = row.stdev = row.score = row.rate = None
            row.flagged = False
    # What the member may not see must not leak through the order either.
    rows.sort(key=lambda r: (not r.visible, -(r.score or 0), r.candidacy.unit.path))
    return rows


def result_for(user, candidacy) -> CommitteeResult | None:
    if candidacy.pk not in scored_by(user, candidacy.cycle):
        return None
    rows = committee_results(candidacy.cycle, Candidacy.objects.filter(pk=candidacy.pk))
    return rows[0] if rows else None


def scores_visible_to(user, candidacy):
    """Every member's score of the candidate with its items, or None while the viewer has not
    submitted their own."""
    if candidacy.pk not in scored_by(user, candidacy.cycle):
        return None
    return (
        CommitteeScore.objects.filter(candidacy=candidacy)
        .select_related("member")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=CommitteeScoreItem.objects.select_related("criterion").order_by(
                    "criterion__sort_order", "criterion_id"
                ),
            )
        )
        .order_by("submitted_at", "pk")
    )


def my_score(user, candidacy) -> CommitteeScore | None:
    return (
        CommitteeScore.objects.filter(candidacy=candidacy, member=user)
        .prefetch_related("items__criterion")
        .first()
    )


def site_visits(candidacy):
    return candidacy.site_visits.prefetch_related("members", "photos").select_related("recorded_by")
