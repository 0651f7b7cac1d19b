"""Assessment periods' windows for the scheduled jobs (workflow/jobs.py).

* `period_deadlines`: while a period's fill window is open, the secretaries of branches whose
  self-assessment is still a draft (or was returned) are reminded before `closes_on`.
* `close_period_windows`: once the window has closed, the services already refuse late
  saves and submissions (`windows.fill_window`); this tells the owners of the drafts left open that
  they are locked, once each.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.access import secretaries_at_units
from workflow.deadlines import Deadline, deadline_provider, window_closer
from workflow.jobs import notify_once
from workflow.windows import local_today

from .models import EDITABLE_STATUSES, Assessment, AssessmentPeriod
from .windows import fill_not_closed, fill_window

#: Closed windows are looked at for this long, so a job that did not run for a few days
#: still tells the owners, and old periods are not scanned for ever.
CLOSED_LOOKBACK = datetime.timedelta(days=7)
#: Days-before key of the "window closed" notice in the reminder log (reminders are ≥ 1).
CLOSED_NOTICE = 0


def _owners_of_open_drafts(period) -> tuple:
    """Secretaries at the branches whose assessment of this period is still editable."""
    units = Assessment.objects.filter(period=period, status__in=EDITABLE_STATUSES).values("unit_id")
    return tuple(secretaries_at_units(units))


@deadline_provider
def period_deadlines(now):
    # SQL narrows to the windows not closed yet; the window decides.
    periods = AssessmentPeriod.objects.filter(fill_not_closed(now), is_aggregate=False)
    for period in periods:
        window = fill_window(period)
        if not window.check(now)[0]:
            continue
        recipients = _owners_of_open_drafts(period)
        if recipients:
            yield Deadline(
                obj=period,
                due_at=window.closes_at,
                recipients=recipients,
                title=_("%(period)s 自评填报") % {"period": period},
                url=reverse("evaluation:index"),
                due_label=window.deadline_label,
            )


@window_closer
def close_period_windows(now) -> int:
    # SQL narrows to the windows closed within the lookback; the window decides.
    periods = AssessmentPeriod.objects.filter(
        ~fill_not_closed(now), is_aggregate=False, closes_on__gte=local_today(now) - CLOSED_LOOKBACK
    )
    told = 0
    for period in periods:
        window = fill_window(period)
        if not window.has_closed(now):
            continue
        told += notify_once(
            _owners_of_open_drafts(period),
            obj=period,
            days_before=CLOSED_NOTICE,
            due_at=window.closes_at,
            title=_("%(period)s 填报已截止，未提交的自评已锁定") % {"period": period},
            body=_("如确需补报，请联系所在党委审核人。"),
            url=reverse("evaluation:index"),
        )
    return told
