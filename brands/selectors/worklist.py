"""The brands app's part of the dashboard (工作台): what a branch secretary has to redo, what
waits for a reviewer, and the programme's coverage at a glance. Each function costs a fixed
number of queries, however many applications it reports."""

from django.db.models import Count, Min, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import review_levels
from branches.selectors import secretary_scope
from workflow.selectors import last_comments
from workflow.worklist import QueueCount, WorkItem

from ..models import BrandApplication, Reshaping, Status
from .coverage import Coverage, coverage_totals, target_for


def secretary_items(user) -> list[WorkItem]:
    """The brand applications of the secretary's branches that a reviewer returned for
    revision, each with the reviewer's comment and a link to edit it. Two queries (one
    when nothing was returned)."""
    returned = list(
        secretary_scope(BrandApplication.objects.filter(status=Status.RETURNED), user)
        .select_related("unit")
        .only("pk", "name", "status", "unit__name", "unit__path")
        .order_by("unit__path", "pk")
    )
    comments = last_comments(returned, to_state=Status.RETURNED)
    return [
        WorkItem(
            title=_("品牌申报“%(name)s”已退回修改") % {"name": app},
            url=reverse("brands:edit", args=[app.pk]),
            unit=app.unit.name,
            status=str(Status.RETURNED.label),
            comment=comments.get(app.pk, ""),
            returned=True,
        )
        for app in returned
    ]


def reviewer_queues(user) -> list[QueueCount]:
    """How many applications wait at the levels where this user approves, and since when
    the longest has waited (its submission); then, while any wait, the brand reshapings
    (品牌重塑) likewise. One query for both (a union of the two counts)."""
    levels = review_levels(user)

    def waiting(model, kind):
        return (
            model.objects.filter(status=model.in_review_state, current_level_id__in=levels)
            .annotate(kind=Value(kind))
            .values("kind")
            .annotate(n=Count("pk"), oldest=Min("submitted_at"))
            .values_list("kind", "n", "oldest")
        )

    rows = waiting(BrandApplication, "applications").union(waiting(Reshaping, "reshapings"))
    counts = {kind: (n, oldest) for kind, n, oldest in rows}
    url = reverse("brands:queue")
    n, oldest = counts.get("applications", (0, None))
    queues = [QueueCount(label=_("品牌申报待审"), count=n, oldest_at=oldest, url=url)]
    n, oldest = counts.get("reshapings", (0, None))
    if n:
        queues.append(QueueCount(label=_("品牌重塑待审"), count=n, oldest_at=oldest, url=url))
    return queues


def coverage_summary(user) -> Coverage:
    """The scope's filed and built rates against this year's target, without the
    breakdowns: the target's query, and the totals' while they are not cached."""
    year = timezone.localdate().year
    target, own_year = target_for(year)
    totals = coverage_totals(user, label=str(_("管辖范围合计"))).compare(target)
    return Coverage(
        year=year,
        target=target,
        target_is_own_year=own_year,
        province_wide=False,
        totals=totals,
    )
