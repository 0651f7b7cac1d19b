"""Reads of the public vote and of the bases' ranking. Votes are counted by the database."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count

from ..models import Ballot, Candidacy, Vote
from .review import max_total

CENT = Decimal("0.01")


def units_of(cycle):
    """The demonstration units the chair named, by committee rank."""
    return (
        cycle.candidacies.filter(is_unit=True)
        .select_related("unit", "brand")
        .order_by("unit_rank", "pk")
    )


def tally(cycle):
    """The units with their vote counts (COUNT in the database), most votes first."""
    return (
        units_of(cycle)
        .annotate(votes_received=Count("votes"))
        .order_by("-votes_received", "unit_rank", "pk")
    )


def ballots_cast(cycle) -> int:
    return Ballot.objects.filter(cycle=cycle).count()


def my_choices(user, cycle) -> list[int] | None:
    """The candidacies this user voted for, or None if they have not voted."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not Ballot.objects.filter(cycle=cycle, voter=user).exists():
        return None
    return list(Vote.objects.filter(cycle=cycle, voter=user).values_list("candidacy_id", flat=True))


def base_cap(cycle, unit_count: int) -> int:
    """At most `base_share_cap` % of the units, rounded down (30 % of 20 units: 6)."""
    cap = Decimal(unit_count) * cycle.base_share_cap / 100
    return int(cap.to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class BaseRow:
    candidacy: Candidacy
    votes: int
    vote_share: Decimal
    committee_rate: Decimal
    weighted: Decimal
    proposed: bool = False


def base_ranking(cycle) -> tuple[list[BaseRow], int]:
    """The units ranked for the bases: `vote_weight` % of the vote share (votes received per
    100 ballots cast) plus the rest of the committee score rate (% of the table maximum).
    Returns the rows, best first, with the top `cap` proposed, and the cap."""
    ballots = ballots_cast(cycle)
    top = max_total(cycle) or Decimal(1)
    weight = cycle.vote_weight / 100
    rows = []
    for c in tally(cycle):
        share = (
            (Decimal(c.votes_received) * 100 / ballots).quantize(CENT) if ballots else Decimal(0)
        )
        rate = ((c.committee_score or Decimal(0)) * 100 / top).quantize(CENT)
        weighted = (weight * share + (1 - weight) * rate).quantize(CENT)
        rows.append(BaseRow(c, c.votes_received, share, rate, weighted))
    rows.sort(key=lambda r: (-r.weighted, -r.committee_rate, r.candidacy.unit_rank or 0))
    cap = base_cap(cycle, len(rows))
    for row in rows[:cap]:
        row.proposed = True
    return rows, cap
