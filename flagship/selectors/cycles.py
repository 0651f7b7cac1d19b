"""Reads of cycles and candidacies: the cycle list, a cycle's phase timeline, scoped lists of
candidacies, the reviewers' queue, the public notice and the objections."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from branches.models import OrgUnit, Role
from branches.selectors import scope_filter
from brands.rules import BRAND_HOLDER_TYPES
from common.formats import local_datetime
from workflow.selectors import timeline

from ..models import (
    PHASE_ORDER,
    Candidacy,
    CandidacyStatus,
    FlagshipCycle,
    Objection,
    Phase,
)
from ..rules import REVIEW_ROLES, membership


def cycles() -> QuerySet[FlagshipCycle]:
    """Every cycle, newest first, with its candidacy counts (cycles are province-wide and
    public; what is inside them is scoped)."""
    return FlagshipCycle.objects.annotate(
        n_candidacies=Count("candidacies", filter=~Q(candidacies__status=CandidacyStatus.DRAFT)),
        n_accepted=Count(
            "candidacies",
            filter=Q(
                candidacies__status__in=[CandidacyStatus.ACCEPTED, CandidacyStatus.DISQUALIFIED]
            ),
        ),
    ).order_by("-year_start", "-pk")


def current_cycle() -> FlagshipCycle | None:
    """The running cycle (the newest not yet awarded), else the newest."""
    running = FlagshipCycle.objects.exclude(phase=Phase.AWARDED).order_by("-year_start").first()
    return running or FlagshipCycle.objects.order_by("-year_start").first()


@dataclass
class Step:
    phase: str
    label: str
    dates: str
    state: str  # done / current / upcoming


def _span(a, b=None):
    if b is None or a == b:
        return f"{a:%Y-%m-%d}"
    return f"{a:%Y-%m-%d} ~ {b:%Y-%m-%d}"


def phase_steps(cycle) -> list[Step]:
    """The cycle's phases with their (planned or actual) dates, for the timeline."""
    notice_from = cycle.notice_published_on or cycle.notice_starts_on
    notice_to = cycle.notice_ends_on
    dates = {
        Phase.PLANNED: "",
        Phase.APPLICATION: _span(cycle.application_opens_on, cycle.application_closes_on),
        Phase.NOTICE: _span(notice_from, notice_to) if notice_to else _span(notice_from),
        Phase.MANAGEMENT: f"~ {cycle.summary_deadline:%Y-%m-%d}",
        Phase.REVIEW: _span(cycle.review_starts_on, cycle.decision_deadline),
        Phase.VOTING: (f"~ {local_datetime(cycle.vote_closes_at)}" if cycle.vote_closes_at else ""),
        Phase.AWARDED: f"{cycle.decision_deadline:%Y-%m-%d}",
    }
    current = PHASE_ORDER.index(cycle.phase)
    steps = []
    for i, phase in enumerate(PHASE_ORDER[1:], 1):
        state = "done" if i < current else "current" if i == current else "upcoming"
        steps.append(Step(phase, Phase(phase).label, dates[phase], state))
    return steps


def cycle_timeline(cycle):
    return timeline(cycle)


# --- candidacies -------------------------------------------------------------------------


def _listing(qs):
    return qs.select_related("unit", "unit__region", "current_level", "applicant", "brand")


def candidacies_visible_to(user, cycle) -> QuerySet[Candidacy]:
    """The cycle's candidacies in the user's subtree; the committee sees the whole cycle."""
    qs = Candidacy.objects.filter(cycle=cycle)
    if membership(user, cycle.pk) is None:
        qs = scope_filter(qs, user)
    return _listing(qs)


def filter_candidacies(qs, *, q="", status="", city=None):
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(brand__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if city is not None:
        qs = qs.filter(unit__path__startswith=city.path)
    return qs


def review_queue(user, cycle) -> QuerySet[Candidacy]:
    """What waits at the levels where this user reviews, longest waiting first."""
    levels = [ra.unit_id for ra in user.role_assignments if ra.role in REVIEW_ROLES]
    return (
        _listing(scope_filter(Candidacy.objects.filter(cycle=cycle), user))
        .filter(status=CandidacyStatus.IN_REVIEW, current_level_id__in=levels)
        .order_by("submitted_at", "pk")
    )


def own_branches(user) -> QuerySet[OrgUnit]:
    """The branches and general branches where the user is secretary (the ones they file for:
    `brands.rules.may_hold_brand`)."""
    ids = [ra.unit_id for ra in user.role_assignments if ra.role == Role.SECRETARY]
    return OrgUnit.objects.filter(pk__in=ids, unit_type__in=BRAND_HOLDER_TYPES).order_by("path")


def own_branch_units(user) -> list[OrgUnit]:
    """`own_branches` as a list, in tree order, read from the user's role assignments (loaded
    once per request with their units): no query."""
    units = {
        ra.unit_id: ra.unit
        for ra in user.role_assignments
        if ra.role == Role.SECRETARY and ra.unit.unit_type in BRAND_HOLDER_TYPES
    }
    return sorted(units.values(), key=lambda unit: unit.path)


def candidacy_of(cycle, unit) -> Candidacy | None:
    return Candidacy.objects.filter(cycle=cycle, unit=unit).first()


# --- notice and objections ---------------------------------------------------------------


def notice_list(cycle) -> QuerySet[Candidacy]:
    """The published candidate list (accepted, and those taken off after an objection)."""
    return (
        Candidacy.objects.filter(
            cycle=cycle, status__in=[CandidacyStatus.ACCEPTED, CandidacyStatus.DISQUALIFIED]
        )
        .select_related("unit", "brand")
        .order_by("unit__path")
    )


def objections_of(cycle, *, status="") -> QuerySet[Objection]:
    qs = Objection.objects.filter(candidacy__cycle=cycle).select_related(
        "candidacy__unit", "author", "handled_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at", "-pk")


def my_objections(user, cycle) -> QuerySet[Objection]:
    return Objection.objects.filter(candidacy__cycle=cycle, author=user).select_related(
        "candidacy__unit"
    )
