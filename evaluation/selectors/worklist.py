"""The evaluation app's part of the dashboard (工作台): the self-assessments a secretary has
to fill while their window is open, what waits for a reviewer, and the open periods'
progress. Each function costs a fixed number of queries, however many rows it reports."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branches.selectors import secretary_scope
from workflow.selectors import last_comments
from workflow.worklist import QueueCount, WorkItem

from ..models import EDITABLE_STATUSES, Assessment, Status
from ..windows import fill_open
from .periods import periods_visible_to, progress_by_period, review_queue


def _state(assessment) -> str:
    if assessment.status == Status.RETURNED:
        return pgettext("self-assessment", "已退回")
    # A draft the secretary never saved is still blank.
    return _("草稿") if assessment.revision else _("未填")


def secretary_items(user) -> list[WorkItem]:
    """The open self-assessments of the secretary's units (not yet submitted, in a period
    whose fill window is open today), with the closing date; a returned one carries the
    reviewer's comment. Two queries (one when none was returned)."""
    rows = list(
        secretary_scope(Assessment.objects.all(), user)
        .filter(fill_open(prefix="period__"), status__in=EDITABLE_STATUSES)
        .select_related("unit", "period")
        .only("pk", "status", "revision", "unit__name", "period__name", "period__closes_on")
        .order_by("period__closes_on", "unit__path")
    )
    comments = last_comments(
        [a for a in rows if a.status == Status.RETURNED], to_state=Status.RETURNED
    )
    return [
        WorkItem(
            title=_("%(period)s 自评") % {"period": a.period.name},
            url=reverse("evaluation:fill", args=[a.pk]),
            unit=a.unit.name,
            status=_state(a),
            due_on=a.period.closes_on,
            comment=comments.get(a.pk, ""),
            returned=a.status == Status.RETURNED,
        )
        for a in rows
    ]


def reviewer_queue(user) -> QueueCount:
    """How many submitted self-assessments wait in the subtrees this user reviews, and the
    longest wait. One query."""
    waiting = review_queue(user).order_by().aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    return QueueCount(
        label=_("自评待审核"),
        count=waiting["n"],
        oldest_at=waiting["oldest"],
        url=reverse("evaluation:review_queue"),
    )


@dataclass(frozen=True)
class PeriodProgress:
    name: str
    url: str
    closes_on: datetime.date
    handed_in: int
    total: int


def open_periods(user) -> list[PeriodProgress]:
    """The periods in the user's scope whose fill window is open today, with how many of
    their assessments in the scope were handed in. Two queries at most (the progress counts
    are cached per period and scope)."""
    periods = list(periods_visible_to(user).filter(fill_open()).order_by("closes_on", "pk"))
    progress = progress_by_period(user, periods)
    return [
        PeriodProgress(
            name=p.name,
            url=reverse("evaluation:period", args=[p.pk]),
            closes_on=p.closes_on,
            handed_in=progress.get(p.pk, {}).get("handed_in", 0),
            total=progress.get(p.pk, {}).get("total", 0),
        )
        for p in periods
    ]
