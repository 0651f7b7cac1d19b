"""What evaluation's online rules read of a branch's members' own work over an assessment
period: plain numbers (`BranchFigures`), no model instances, counted for any number of
branches in three queries (posts in force, their reviews, 五个一 items). Evaluation turns them
into points (`evaluation/online_groups.py`); it never reads this app's models."""

import datetime
from typing import NamedTuple

from django.db.models import Count, Q

from workflow.windows import end_of_local_day, start_of_local_day

from ..models import InnovationItem, InnovationStatus, PioneerPost, PostReview, PostStatus


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
