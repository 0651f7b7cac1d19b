"""Reads of rectification plans, each list starting from the user's scope
(`branches.selectors.scope_filter` / `secretary_scope`)."""

from django.db.models import Count, Q, QuerySet

from branches.access import review_levels
from branches.selectors import scope_filter, secretary_scope
from workflow.windows import local_today

from ..models import OWED_BY_BRANCH, PlanStatus, RectificationPlan

#: The list's status filter: a state, or "overdue" (past the deadline, the branch's part owed).
OVERDUE = "overdue"
WAITING = "waiting"  # waits for this reviewer's decision


def overdue_q() -> Q:
    """`RectificationPlan.is_overdue` as a query condition."""
    return Q(status__in=OWED_BY_BRANCH, deadline__lt=local_today())


def _rows(qs) -> QuerySet[RectificationPlan]:
    return qs.select_related("unit", "reviewing_unit").defer("problems", "measures", "completion")


def plans_visible_to(user) -> QuerySet[RectificationPlan]:
    """Every plan of a unit in the user's subtrees."""
    return _rows(scope_filter(RectificationPlan.objects.all(), user))


def own_plans(user) -> QuerySet[RectificationPlan]:
    """The plans of the units the user files for as a secretary, newest first."""
    return _rows(secretary_scope(RectificationPlan.objects.all(), user)).order_by(
        "-created_at", "-pk"
    )


def waiting_q(user) -> Q:
    """Plans whose next step is this reviewer's: submitted or reported at their levels."""
    return Q(
        reviewing_unit_id__in=review_levels(user),
        status__in=(PlanStatus.SUBMITTED, PlanStatus.REPORTED),
    )


def filter_plans(qs, user, *, status="", q="") -> QuerySet[RectificationPlan]:
    if status == OVERDUE:
        qs = qs.filter(overdue_q())
    elif status == WAITING:
        qs = qs.filter(waiting_q(user))
    elif status in PlanStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(period_name__icontains=q))
    return qs.order_by("deadline", "pk")


def status_counts(user) -> dict[str, int]:
    """How many plans of the user's scope are in each state, overdue, and waiting for them:
    one aggregate query."""
    counts = scope_filter(RectificationPlan.objects.all(), user).aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in PlanStatus.values},
        **{OVERDUE: Count("pk", filter=overdue_q()), WAITING: Count("pk", filter=waiting_q(user))},
    )
    return counts


def plan_detail(pk) -> RectificationPlan:
    """The plan page's plan with its unit and reviewing level (raises DoesNotExist)."""
    return RectificationPlan.objects.select_related("unit", "reviewing_unit").get(pk=pk)


def evidence_of(plan):
    return plan.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


def plan_for_result(user, period_id, unit_id) -> RectificationPlan | None:
    """The plan a published result opened, if the user may read it (the link on the
    assessment page). One query."""
    plan = (
        RectificationPlan.objects.filter(period_id=period_id, unit_id=unit_id)
        .select_related("unit")
        .first()
    )
    if plan is None or not user.has_perm("rectification.read_plan", plan):
        return None
    return plan
