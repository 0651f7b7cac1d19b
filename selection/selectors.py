"""Reads of 省级品牌评选: the rounds a user may open, a round's proposals within the reader's
reach, and the brands a committee's reviewer may still propose."""

from django.db.models import Count, F, Q, QuerySet

from branches import access
from branches.models import CITY_COMMITTEE_TYPES, Role
from branches.selectors import has_role, scope_filter, scope_paths
from brands.selectors.applications import provincial_candidates

from .models import Proposal, ProposalStatus, RoundStatus, SelectionRound


def rounds_visible_to(user) -> QuerySet[SelectionRound]:
    """Published rounds for anyone who holds a role; open ones too for reviewers and
    administrators (`rules.reads_round`). With the counts of proposals and of selected, one
    query."""
    rounds = SelectionRound.objects.annotate(
        proposed=Count("proposals"),
        selected=Count("proposals", filter=Q(proposals__status=ProposalStatus.SELECTED)),
    ).order_by("-year")
    if not scope_paths(user):
        return rounds.none()
    if access.is_reviewer(user) or has_role(user, Role.ADMIN):
        return rounds
    return rounds.filter(status=RoundStatus.PUBLISHED)


def round_for_page(pk: int) -> SelectionRound:
    return SelectionRound.objects.select_related("created_by", "published_by").get(pk=pk)


def proposals_visible_to(user, round_) -> QuerySet[Proposal]:
    """The round's proposals the user may read, best scored first, with what a row shows (one
    query): the province and administrators all; a committee's reviewer those of its subtree
    while the round is open; once published, everyone with a role the whole list."""
    proposals = round_.proposals.select_related(
        "application", "unit", "committee", "proposed_by", "scored_by", "decided_by"
    ).order_by(F("score").desc(nulls_last=True), F("acceptance_rate").desc(nulls_last=True), "pk")
    if round_.status == RoundStatus.PUBLISHED or has_role(user, Role.PROVINCE_REVIEWER, Role.ADMIN):
        return proposals
    return scope_filter(proposals, user)


def proposing_committees(user) -> list:
    """The city/direct committees where the user holds a reviewer role (who proposes)."""
    return [
        ra.unit
        for ra in access.assignments(user, *access.REVIEWER_ROLES)
        if ra.role == Role.REVIEWER and ra.unit.unit_type in CITY_COMMITTEE_TYPES
    ]


def candidates_for(user, round_) -> QuerySet:
    """The built, not-yet-provincial brands of the user's committees' subtrees not proposed in
    this round, by their unit's place in the tree (one query)."""
    committees = proposing_committees(user)
    if not committees:
        return provincial_candidates().none()
    area = Q(pk__in=[])
    for committee in committees:
        area |= Q(unit__path__startswith=committee.path)
    return (
        provincial_candidates()
        .filter(area)
        .exclude(pk__in=round_.proposals.values("application_id"))
        .order_by("unit__path")
    )


def counts(round_) -> dict:
    """{status: how many proposals} of the round, one query."""
    found = dict(round_.proposals.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: found.get(status, 0) for status in ProposalStatus.values}
