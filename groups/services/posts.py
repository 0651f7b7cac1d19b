"""Writes of pioneer posts. Each is one transaction, checks the actor's right first, locks the
post two people could change at once, and leaves an audit entry (who, when, why)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from workflow.services import record_audit
from workflow.windows import local_today

from .. import halves
from ..audit import Action
from ..models import PioneerPost, PostOutcome, PostReview, PostStatus, SpotCheck


class PostError(DomainError):
    """A refused change to a pioneer post; the message says why."""


def _require(actor, perm, obj):
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以管理先锋岗。"))


def _locked(post_id) -> PioneerPost:
    return (
        PioneerPost.objects.select_for_update(of=("self",))
        .select_related("branch", "member")
        .get(pk=post_id)
    )


@transaction.atomic
def name_post(
    *, actor, branch, member, kind, title, commitment, term_start, term_end
) -> PioneerPost:
    """Name a post (or a 责任区 / 先锋队) for one of the branch's active members."""
    _require(actor, "groups.manage_posts", branch)
    if member.branch_id != branch.pk or not member.is_active:
        raise ValidationError({"member": _("请选择本支部在册党员。")})
    post = PioneerPost(
        branch=branch,
        member=member,
        kind=kind,
        title=title,
        commitment=commitment,
        term_start=term_start,
        term_end=term_end,
        created_by=actor,
    )
    post.full_clean()
    post.save()
    record_audit(actor=actor, obj=post, action=Action.POST_NAMED, unit=branch)
    return post


@transaction.atomic
def record_spot_check(*, actor, post_id, checked_on: datetime.date, finding: str) -> SpotCheck:
    """A spot check during the term (不定期抽查): only of a post in force, never dated ahead."""
    post = _locked(post_id)
    _require(actor, "groups.manage_post", post)
    if post.status != PostStatus.ACTIVE:
        raise PostError(_("该岗位已撤销，不能再抽查。"))
    if checked_on > local_today():
        raise ValidationError({"checked_on": _("抽查日期不能晚于今天。")})
    if not post.term_start <= checked_on <= post.term_end:
        raise ValidationError({"checked_on": _("抽查日期须在任期之内。")})
    check = SpotCheck(post=post, checked_on=checked_on, finding=finding, checked_by=actor)
    check.full_clean()
    check.save()
    record_audit(
        actor=actor, obj=post, action=Action.POST_SPOT_CHECK, comment=finding, unit=post.branch
    )
    return check


@transaction.atomic
def review_post(
    *,
    actor,
    post_id,
    half: str,
    department_opinion: str,
    committee_opinion: str,
    led_by_example: bool,
    outcome: str,
) -> PostReview:
    """The half-yearly review (部门为主、支委为辅): renew or commend — the term then runs at
    least to the end of the next half year — or withdraw the post."""
    post = _locked(post_id)
    _require(actor, "groups.manage_post", post)
    if post.status != PostStatus.ACTIVE:
        raise PostError(_("该岗位已撤销。"))
    if half not in halves.reviewable(local_today()):
        raise ValidationError({"half": _("只能评估本半年度或上一个半年度。")})
    first, last = halves.bounds(half)
    if last < post.term_start or first > post.term_end:
        raise ValidationError({"half": _("该半年度不在岗位任期之内。")})
    if post.reviews.filter(half=half).exists():
        raise PostError(_("该岗位 %(half)s 已经评估过。") % {"half": half})
    if outcome == PostOutcome.COMMEND and not led_by_example:
        raise ValidationError({"outcome": _("未发挥先锋模范作用的岗位不能表扬。")})
    review = PostReview(
        post=post,
        half=half,
        department_opinion=department_opinion,
        committee_opinion=committee_opinion,
        led_by_example=led_by_example,
        outcome=outcome,
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    if outcome == PostOutcome.WITHDRAW:
        post.status = PostStatus.WITHDRAWN
        action = Action.POST_WITHDRAWN
    else:
        post.commendations += outcome == PostOutcome.COMMEND
        post.term_end = max(post.term_end, halves.bounds(halves.following(half))[1])
        action = Action.POST_REVIEWED
    post.save(update_fields=["status", "commendations", "term_end"])
    record_audit(
        actor=actor,
        obj=post,
        action=action,
        comment=f"{half} {review.get_outcome_display()}：{committee_opinion}",
        unit=post.branch,
    )
    return review
