"""Reads of pioneer posts: one query a list, whatever the number of posts or branches."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from branches.models import UnitType

from ..models import PioneerPost, PostKind, PostReview, PostStatus


def _listed(posts: QuerySet) -> QuerySet[PioneerPost]:
    last_review = PostReview.objects.filter(post=OuterRef("pk")).order_by("-half", "-pk")
    return posts.select_related("member").annotate(
        check_count=Count("spot_checks", distinct=True),
        last_half=Subquery(last_review.values("half")[:1]),
        last_outcome=Subquery(last_review.values("outcome")[:1]),
    )


def posts_of(branch, *, include_withdrawn=False) -> QuerySet[PioneerPost]:
    """A branch's posts with their member, spot-check count and latest review."""
    posts = PioneerPost.objects.filter(branch=branch)
    if not include_withdrawn:
        posts = posts.filter(status=PostStatus.ACTIVE)
    return _listed(posts).order_by("kind", "title", "pk")


def my_posts(user) -> QuerySet[PioneerPost]:
    """The posts of the member whose portal account is `user` (none without a linked member)."""
    return _listed(PioneerPost.objects.filter(member__user=user)).select_related("branch")


def post_for_page(pk) -> PioneerPost:
    return (
        PioneerPost.objects.select_related("branch", "member")
        .prefetch_related("spot_checks__checked_by", "reviews__reviewed_by")
        .get(pk=pk)
    )


def area_overview(units: QuerySet, unit) -> QuerySet:
    """Posts in force per branch of `unit`'s subtree (units: what the reader may see), by kind:
    one aggregate query, rows only for branches that have posts."""
    branches = units.filter(unit_type=UnitType.BRANCH, path__startswith=unit.path)
    active = Q(pioneer_posts__status=PostStatus.ACTIVE)
    return (
        branches.annotate(
            posts=Count("pioneer_posts", filter=active & Q(pioneer_posts__kind=PostKind.POST)),
            zones=Count("pioneer_posts", filter=active & Q(pioneer_posts__kind=PostKind.ZONE)),
            teams=Count("pioneer_posts", filter=active & Q(pioneer_posts__kind=PostKind.TEAM)),
        )
        .filter(Q(posts__gt=0) | Q(zones__gt=0) | Q(teams__gt=0))
        .order_by("path")
        .only("pk", "name", "path")
    )
