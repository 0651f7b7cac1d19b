"""Reads of the 五个一 drive: a branch's items and its counts per group, in one query each."""

from django.db.models import Count, Q, QuerySet

from ..models import InnovationItem, InnovationStatus

CHOSEN = (InnovationStatus.SELECTED, InnovationStatus.RECOMMENDED)


def items_of(branch, year: int) -> QuerySet[InnovationItem]:
    return (
        InnovationItem.objects.filter(branch=branch, year=year)
        .select_related("member", "party_group", "reviewed_in")
        .order_by("status", "-filed_at", "-pk")
    )


def counts_by_group(branch, year: int) -> list[dict]:
    """Per group (None: members without a group): filed, selected and recommended counts."""
    rows = (
        InnovationItem.objects.filter(branch=branch, year=year)
        .values("party_group_id", "party_group__name")
        .annotate(
            filed=Count("pk"),
            chosen=Count("pk", filter=Q(status__in=CHOSEN)),
            recommended=Count("pk", filter=Q(status=InnovationStatus.RECOMMENDED)),
        )
        .order_by("party_group__name")
    )
    return list(rows)


def my_items(user) -> QuerySet[InnovationItem]:
    return InnovationItem.objects.filter(member__user=user).select_related("branch")


def area_overview(unit, year: int) -> QuerySet:
    """A committee's 五个一 overview: per branch of `unit`'s subtree with items in the year,
    filed / chosen / recommended — one aggregate query that starts from the year's items (a
    few per branch that runs the drive), not from the subtree's branches, so a city of 16,000
    branches costs what its items cost. Rows: branch id, name, path and the three counts."""
    return (
        InnovationItem.objects.filter(year=year, branch__path__startswith=unit.path)
        .values("branch_id", "branch__name", "branch__path")
        .annotate(
            filed=Count("pk"),
            chosen=Count("pk", filter=Q(status__in=CHOSEN)),
            recommended=Count("pk", filter=Q(status=InnovationStatus.RECOMMENDED)),
        )
        .order_by("branch__path")
    )
