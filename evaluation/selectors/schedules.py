"""Reads behind the schedules (考评日程): the list the province edits, and "is this month
published" — the condition an automatic aggregate waits for."""

from django.db.models import QuerySet

from branches.selectors import committee_key, scope_filter

from ..models import AssessmentPeriod, Schedule


def schedules_visible_to(user) -> QuerySet[Schedule]:
    """The schedules whose scope lies in the user's subtree, with what the list shows (one
    query)."""
    return scope_filter(
        Schedule.objects.select_related("table", "scope", "created_by"), user, unit_field="scope"
    ).order_by("table__sort_order", "table__code", "scope__path")


def fully_published(period: AssessmentPeriod) -> bool:
    """Every result of the period has been published: a publication by the period's scope or
    above, or one by (or above) each committee that has assessments in it. A committee that
    published only part of its subtree (a general branch's) does not complete the month. Two
    queries."""
    published = list(period.publications.values_list("unit__path", flat=True))
    if not published:
        return False
    if any(period.scope.path.startswith(p) for p in published):
        return True
    committees = (
        period.assessments.annotate(c=committee_key("unit__path"))
        .values_list("c", flat=True)
        .order_by()
        .distinct()
    )
    return all(any(c.startswith(p) for p in published) for c in committees)
