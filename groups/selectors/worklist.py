"""The groups app's part of a reviewer's 工作台: the 品牌党小组 proposals waiting in the
reviewer's subtree, shown only while some wait (the queue is seasonal: December to the next
year's end)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from workflow.worklist import QueueCount

from .assessment import pending_nominations


def reviewer_queues(user) -> list[QueueCount]:
    """[the waiting proposals' count and the oldest one's date] while any wait; one query."""
    waiting = (
        pending_nominations(user).order_by().aggregate(n=Count("pk"), oldest=Min("proposed_at"))
    )
    if not waiting["n"]:
        return []
    return [
        QueueCount(
            label=_("品牌党小组待确认"),
            count=waiting["n"],
            oldest_at=waiting["oldest"],
            url=reverse("groups:brand_groups"),
        )
    ]
