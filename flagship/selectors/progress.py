"""The cycle's progress in a subtree, as the monthly bulletin reads it: which cycle a year falls
in, and per committee how many candidacies are in each status and how many were named
demonstration units and bases. One grouped query; statuses in the model's order."""

from dataclasses import dataclass

from django.db.models import Count, Q

from branches.selectors import committee_key

from ..models import Candidacy, CandidacyStatus, FlagshipCycle

#: The honours counted next to the statuses (candidacy flags, labelled by their fields).
HONOUR_FLAGS = ("is_unit", "is_base")


def cycle_of_year(year: int) -> FlagshipCycle | None:
    """The cycle whose years cover `year` (the latest begun, if two do), else the latest
    created among those begun by then."""
    cycle = (
        FlagshipCycle.objects.filter(year_start__lte=year, year_end__gte=year)
        .order_by("-year_start", "-pk")
        .first()
    )
    if cycle is None:
        cycle = FlagshipCycle.objects.filter(year_start__lte=year).order_by("-pk").first()
    return cycle


@dataclass
class CycleProgress:
    cycle: FlagshipCycle
    phase: str  # the cycle's phase label
    statuses: list[tuple[str, str]]  # (value, label) in the model's order
    honours: list[tuple[str, str]]  # (flag, label)
    groups: list[dict]  # per committee: `committee_path`, a count per status and per flag


def progress_by_committee(scope_path: str, year: int) -> CycleProgress | None:
    """The candidacies of the cycle of `year` in the subtree at `scope_path`, counted per
    committee (`branches.selectors.committee_key`); None when there is no such cycle."""
    cycle = cycle_of_year(year)
    if cycle is None:
        return None
    statuses = [(str(value), str(label)) for value, label in CandidacyStatus.choices]
    honours = [(flag, str(Candidacy._meta.get_field(flag).verbose_name)) for flag in HONOUR_FLAGS]
    counts = {value: Count("pk", filter=Q(status=value)) for value, _label in statuses}
    counts.update({flag: Count("pk", filter=Q(**{flag: True})) for flag, _label in honours})
    groups = list(
        Candidacy.objects.filter(cycle=cycle, unit__path__startswith=scope_path)
        .annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(**counts)
        .order_by()
    )
    return CycleProgress(cycle, cycle.get_phase_display(), statuses, honours, groups)
