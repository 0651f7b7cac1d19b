"""Rectification plans in the scheduled jobs (workflow/jobs.py): while a plan's deadline is
ahead and the branch still owes its part (the plan, or the completion report), its
secretaries are reminded REMINDER_DAYS_BEFORE days ahead — reminders instead of chasing.
Past the deadline the plan is shown as overdue (已逾期) in every list; nobody is nagged."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.access import secretaries_at
from workflow.deadlines import Deadline, deadline_provider
from workflow.windows import end_of_local_day, local_today

from .models import OWED_BY_BRANCH, RectificationPlan
from .services import _link


@deadline_provider
def plan_deadlines(now):
    """One deadline per plan still owed by its branch and not yet due (one query for the
    plans, one per plan for its secretaries)."""
    plans = (
        RectificationPlan.objects.filter(status__in=OWED_BY_BRANCH, deadline__gte=local_today(now))
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    for plan in plans:
        recipients = tuple(secretaries_at(plan.unit_id))
        if recipients:
            yield Deadline(
                obj=plan,
                due_at=end_of_local_day(plan.deadline),
                recipients=recipients,
                title=_("%(unit)s 整改（%(period)s）")
                % {"unit": plan.unit.name, "period": plan.period_name},
                url=_link(plan),
                due_label=date_format(plan.deadline),
            )
