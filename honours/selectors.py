"""Reads of 推先表彰: the rounds a user may open, a round's list, a unit's honours."""

from django.db.models import Count, Q, QuerySet

from branches.selectors import scope_filter, scope_paths

from .models import Honour, HonourRound, RoundStatus


def rounds_visible_to(user) -> QuerySet[HonourRound]:
    """Published rounds for anyone who holds a role; drafts too for those who manage periods,
    of the periods in their scope (the rule `honours.manage_round` asks per round). With the
    count of units listed, one query."""
    rounds = (
        HonourRound.objects.select_related("period", "period__scope")
        .annotate(listed=Count("honours", filter=Q(honours__included=True)))
        .order_by("-created_at", "-pk")
    )
    if not scope_paths(user):
        return rounds.none()
    published = Q(status=RoundStatus.PUBLISHED)
    if not user.has_perm("honours.propose"):
        return rounds.filter(published)
    managed = scope_filter(HonourRound.objects.all(), user, unit_field="period__scope")
    return rounds.filter(published | Q(pk__in=managed.values("pk")))


def round_for_page(pk: int) -> HonourRound | None:
    return (
        HonourRound.objects.select_related("period", "period__scope", "created_by", "published_by")
        .filter(pk=pk)
        .first()
    )


def honours_of(round_: HonourRound) -> QuerySet[Honour]:
    """The round's list, by rank (the left-out ones too: `included`), one query."""
    return round_.honours.select_related("unit").order_by("rank", "unit_id")


def honours_of_unit(unit) -> QuerySet[Honour]:
    """The unit's honours in published rounds, latest first, one query."""
    return (
        Honour.objects.filter(unit=unit, included=True, round__status=RoundStatus.PUBLISHED)
        .select_related("round")
        .order_by("-round__published_at", "-pk")
    )
