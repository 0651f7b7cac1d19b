"""What evaluation's online rules read of a branch's members' own work over an assessment
period: plain numbers (`BranchFigures`), no model instances, counted for any number of
branches in three queries (posts in force, their reviews, 五个一 items); and what its members'
published 双百 results give (`MemberFigures`, two queries). Evaluation turns them
into points (`evaluation/online_groups.py`); it never reads this app's models."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, Q

from ledger import selectors as ledger_selectors
from workflow.windows import end_of_local_day, start_of_local_day

from ..models import (
    InnovationItem,
    InnovationStatus,
    MemberAssessment,
    MemberTable,
    PeriodStatus,
    PioneerPost,
    PostReview,
    PostStatus,
)


class BranchFigures(NamedTuple):
    #: Posts (岗、责任区、先锋队) not withdrawn whose term overlaps the period.
    posts_in_force: int = 0
    #: Half-yearly reviews of the branch's posts recorded within the period, and of them those
    #: that found the member led by example (发挥了先锋模范作用).
    reviews: int = 0
    reviews_led: int = 0
    #: 五个一 items filed within the period, and of them those the branch selected (recommended
    #: upward included) and those recommended upward.
    items_filed: int = 0
    items_selected: int = 0
    items_recommended: int = 0


NONE = BranchFigures()


def _units(queryset, field, ids, within):
    if within is not None:  # a committee's batch: one path prefix instead of a long IN list
        return queryset.filter(**{f"{field}__path__startswith": within.path})
    return queryset.filter(**{f"{field}_id__in": ids})


def scoring_figures(
    units, start: datetime.date, end: datetime.date, *, within=None
) -> dict[int, BranchFigures]:
    """Each unit's `BranchFigures` between two local dates, by unit id: three aggregate
    queries whatever the number of units (a unit without any of it gets `NONE`). `within`:
    the units are the branches under this unit."""
    ids = [u.pk for u in units]
    if not ids:
        return {}
    first, last = start_of_local_day(start), end_of_local_day(end)
    found: dict[int, dict] = {}
    posts = _units(
        PioneerPost.objects.filter(
            status=PostStatus.ACTIVE, term_start__lte=end, term_end__gte=start
        ),
        "branch",
        ids,
        within,
    )
    for row in posts.values("branch_id").annotate(n=Count("pk")).order_by():
        found.setdefault(row["branch_id"], {})["posts_in_force"] = row["n"]
    reviews = _units(
        PostReview.objects.filter(created_at__gte=first, created_at__lt=last),
        "post__branch",
        ids,
        within,
    )
    rows = (
        reviews.values("post__branch_id")
        .annotate(n=Count("pk"), led=Count("pk", filter=Q(led_by_example=True)))
        .order_by()
    )
    for row in rows:
        figures = found.setdefault(row["post__branch_id"], {})
        figures["reviews"], figures["reviews_led"] = row["n"], row["led"]
    chosen = [InnovationStatus.SELECTED, InnovationStatus.RECOMMENDED]
    items = _units(
        InnovationItem.objects.filter(filed_at__gte=first, filed_at__lt=last), "branch", ids, within
    )
    rows = (
        items.values("branch_id")
        .annotate(
            n=Count("pk"),
            chosen=Count("pk", filter=Q(status__in=chosen)),
            up=Count("pk", filter=Q(status=InnovationStatus.RECOMMENDED)),
        )
        .order_by()
    )
    for row in rows:
        figures = found.setdefault(row["branch_id"], {})
        figures["items_filed"] = row["n"]
        figures["items_selected"], figures["items_recommended"] = row["chosen"], row["up"]
    return {pk: BranchFigures(**found[pk]) if pk in found else NONE for pk in ids}


# --- member assessments (党员考评: evaluation's members_… rules) --------------------------------

#: A member's 双百 result counts as qualified (合格) from this share of the table's maximum
#: (the shipped tables' two-star rate), unless vetoed.
QUALIFIED_SHARE = Decimal("0.6")


class MemberFigures(NamedTuple):
    #: Members on the branch's roster today.
    active: int = 0
    #: The year of the newest published 双百 member period (the period's year or the one
    #: before), 0 when there is none; its published results and of them the qualified ones.
    year: int = 0
    assessed: int = 0
    qualified: int = 0


NO_MEMBERS = MemberFigures()


def member_figures(
    units, start: datetime.date, end: datetime.date, *, within=None
) -> dict[int, MemberFigures]:
    """Each unit's `MemberFigures` for an assessment period ending on `end`: two aggregate
    queries whatever the number of units. The newest published 双百 member results of the
    period's year or the year before count (the member table runs yearly, the branch's tables
    monthly: a month of 2027 reads the 2026 results until 2027's are published)."""
    ids = [u.pk for u in units]
    if not ids:
        return {}
    active = ledger_selectors.active_member_counts(ids, within=within)
    rows = _units(
        MemberAssessment.objects.filter(
            period__status=PeriodStatus.PUBLISHED,
            period__table=MemberTable.DOUBLE_HUNDRED,
            period__year__in=(end.year - 1, end.year),
        ),
        "period__branch",
        ids,
        within,
    )
    qualified = Q(vetoed=False, total__gte=F("max_total") * QUALIFIED_SHARE)
    rows = (
        rows.values("period__branch_id", "period__year")
        .annotate(n=Count("pk"), ok=Count("pk", filter=qualified))
        .order_by("period__branch_id", "period__year")
    )
    newest = {r["period__branch_id"]: r for r in rows}  # ordered by year: the last one wins
    found = {}
    for pk in ids:
        row = newest.get(pk)
        if row is None and pk not in active:
            found[pk] = NO_MEMBERS
            continue
        found[pk] = MemberFigures(
            active=active.get(pk, 0),
            year=row["period__year"] if row else 0,
            assessed=row["n"] if row else 0,
            qualified=row["ok"] if row else 0,
        )
    return found
