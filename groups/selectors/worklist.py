"""The groups app's part of the 工作台: a reviewer's 品牌党小组 proposals waiting in their
subtree, shown only while some wait (the queue is seasonal: December to the next year's end);
and a party group leader's desk for each group they lead."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ledger import selectors as ledger_selectors
from ledger.spans import Span
from workflow.worklist import QueueCount

from .. import halves
from ..models import (
    GroupAssessment,
    InnovationItem,
    InnovationStatus,
    PioneerPost,
    PostStatus,
)
from ..quarters import open_quarters
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


# --- a party group leader's desk (党小组长工作台) ------------------------------------------


@dataclass
class LeaderDesk:
    """What a group leader has to hand for one group they lead: the group meetings still due
    this month (the ledger's figures per group), 五个一 items filed and not yet reviewed,
    pioneer posts of the group's members without this half's review, and the quarterly
    assessment of the open quarters (a draft shows as "being scored", never its points)."""

    group: object  # ledger PartyGroup, with its branch
    meetings: object  # ledger GroupMeetings of this month
    month_end: datetime.date
    items: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    half_end: datetime.date | None = None
    assessment: object = None  # GroupAssessment | None

    @property
    def meetings_due(self) -> int:
        return max(self.meetings.required - self.meetings.held, 0)


def led_groups(user) -> list:
    """The active groups the user leads as an active member (one query; none, no role)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(ledger_selectors.groups_led_by(user))


def leader_desks(user, groups=None) -> list[LeaderDesk]:
    """One desk per group the user leads: six queries for any number of items or posts (one
    branch: a member leads groups of their own branch)."""
    groups = led_groups(user) if groups is None else groups
    if not groups:
        return []
    today = timezone.localdate()
    span = Span.month(today)
    ids = [g.pk for g in groups]
    meetings = {}
    for branch in {g.branch_id: g.branch for g in groups}.values():
        meetings |= ledger_selectors.group_meetings(branch, span.start, span.end)
    items = defaultdict(list)
    for item in (
        InnovationItem.objects.filter(party_group_id__in=ids, status=InnovationStatus.FILED)
        .select_related("member")
        .order_by("filed_at", "pk")
    ):
        items[item.party_group_id].append(item)
    half = halves.reviewable(today)[0]
    posts = defaultdict(list)
    for post in (
        PioneerPost.objects.filter(
            member__party_group_id__in=ids, status=PostStatus.ACTIVE, term_start__lte=today
        )
        .exclude(reviews__half=half)
        .select_related("member")
        .order_by("term_end", "pk")
    ):
        posts[post.member.party_group_id].append(post)
    quarters = Q(pk__in=[])
    for quarter in open_quarters(today):
        quarters |= Q(year=quarter.year, quarter=quarter.number)
    assessments = {}
    for found in GroupAssessment.objects.filter(quarters, group_id__in=ids).order_by(
        "year", "quarter"
    ):
        assessments[found.group_id] = found  # the newest open quarter's wins
    empty = ledger_selectors.GroupMeetings(0, 0, ())
    return [
        LeaderDesk(
            group=g,
            meetings=meetings.get(g.pk, empty),
            month_end=span.end,
            items=items[g.pk],
            posts=posts[g.pk],
            half_end=halves.bounds(half)[1],
            assessment=assessments.get(g.pk),
        )
        for g in groups
    ]
