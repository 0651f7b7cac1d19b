"""Rectification's part of the dashboard (工作台): a secretary's open plans and brand
invitations, a reviewer's plans to decide. Fixed query counts, however many rows."""

from urllib.parse import urlencode

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.selectors import scope_filter, secretary_scope
from brands.selectors.applications import units_with_live_application
from common.formats import points
from workflow.selectors import last_comments
from workflow.worklist import QueueCount, WorkItem

from ..models import BrandInvitation, PlanStatus, RectificationPlan
from .plans import waiting_q

#: The states in which the secretary has something to do.
SECRETARY_TURN = (PlanStatus.OPEN, PlanStatus.RETURNED, PlanStatus.APPROVED)


def _state(plan) -> str:
    if plan.is_overdue:
        return _("%(state)s · 已逾期") % {"state": plan.get_status_display()}
    return plan.get_status_display()


def plan_items(user) -> list[WorkItem]:
    """The plans the secretary has to write, correct or report on, with their deadline; a
    returned one carries the reviewer's comment. Two queries (one when none is returned)."""
    plans = list(
        secretary_scope(RectificationPlan.objects.all(), user)
        .filter(status__in=SECRETARY_TURN)
        .select_related("unit")
        .only("pk", "status", "deadline", "period_name", "unit__name")
        .order_by("deadline", "pk")
    )
    comments = last_comments(
        [p for p in plans if p.status == PlanStatus.RETURNED], to_state=PlanStatus.RETURNED
    )
    return [
        WorkItem(
            title=(
                _("报告整改完成：%(period)s")
                if p.status == PlanStatus.APPROVED
                else _("制定整改计划：%(period)s")
            )
            % {"period": p.period_name},
            url=reverse("rectification:plan", args=[p.pk]),
            unit=p.unit.name,
            status=_state(p),
            due_on=p.deadline,
            comment=comments.get(p.pk, ""),
            returned=p.status == PlanStatus.RETURNED,
        )
        for p in plans
    ]


def brand_prefill(invitation) -> dict[str, str]:
    """What the brand application form starts with (its `initial`, passed in the link)."""
    star = _("%(n)s星") % {"n": invitation.star} if invitation.star else ""
    return {
        "goal": _("巩固%(star)s党支部建设成果，打造特色鲜明的支部党建品牌。") % {"star": star},
        "results": _("%(period)s获评%(star)s（得分 %(total)s），列为第一梯队。")
        % {"period": invitation.period_name, "star": star, "total": points(invitation.total)},
    }


def invitation_url(invitation) -> str:
    url = reverse("brands:create", args=[invitation.unit_id])
    return f"{url}?{urlencode(brand_prefill(invitation))}"


def invitation_link(user, period_id, unit_id) -> str | None:
    """The pre-filled brand form's link of a result's invitation (the assessment page), if
    there is one, the branch files no brand yet and the user may file for it. One query."""
    invitation = (
        BrandInvitation.objects.filter(period_id=period_id, unit_id=unit_id)
        .exclude(unit_id__in=units_with_live_application())
        .select_related("unit")
        .first()
    )
    if invitation is None or not user.has_perm("brands.file_application", invitation.unit):
        return None
    return invitation_url(invitation)


def invitation_items(user) -> list[WorkItem]:
    """The latest brand invitation of each of the secretary's units that has no live brand
    application yet. One query."""
    rows = (
        secretary_scope(BrandInvitation.objects.all(), user)
        .exclude(unit_id__in=units_with_live_application())
        .select_related("unit")
        # what an item and its link show (`invitation_url`)
        .only("unit_id", "unit__name", "period_name", "star", "total")
        .order_by("-created_at", "-pk")[:20]
    )
    latest = {}
    for invitation in rows:
        latest.setdefault(invitation.unit_id, invitation)
    return [
        WorkItem(
            title=_("创建品牌：%(period)s获评五星，邀请您的支部创建品牌")
            % {"period": i.period_name},
            url=invitation_url(i),
            unit=i.unit.name,
            status=_("邀请"),
        )
        for i in latest.values()
    ]


def secretary_items(user) -> list[WorkItem]:
    return [*plan_items(user), *invitation_items(user)]


def reviewer_queue(user) -> QueueCount:
    """How many plans wait for this reviewer's decision (plans to approve, completions to
    accept), and the longest wait. One query."""
    waiting = (
        scope_filter(RectificationPlan.objects.all(), user)
        .filter(waiting_q(user))
        .aggregate(n=Count("pk"), oldest=Min("updated_at"))
    )
    return QueueCount(
        label=_("整改待审核"),
        count=waiting["n"],
        oldest_at=waiting["oldest"],
        url=reverse("rectification:index") + "?status=waiting",
    )
