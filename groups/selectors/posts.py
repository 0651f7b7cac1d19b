"""Reads of pioneer posts: one query a list, whatever the number of posts or branches."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

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


def area_overview(unit) -> QuerySet:
    """Posts in force per branch of `unit`'s subtree, by kind: one aggregate query that starts
    from the posts in force (a few per branch that names them), not from the subtree's
    branches — a city of 16,000 branches costs what its posts cost (bench/groups.py: the
    branch-first version took 10.8× as long on 100,000 branches as on 1,000). Rows: branch
    id, name, path and the three counts, only for branches that have posts."""
    return (
        PioneerPost.objects.filter(status=PostStatus.ACTIVE, branch__path__startswith=unit.path)
        .values("branch_id", "branch__name", "branch__path")
        .annotate(
            posts=Count("pk", filter=Q(kind=PostKind.POST)),
            zones=Count("pk", filter=Q(kind=PostKind.ZONE)),
            teams=Count("pk", filter=Q(kind=PostKind.TEAM)),
        )
        .order_by("branch__path")
    )
