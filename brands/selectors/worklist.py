"""The brands app's part of the dashboard (工作台): what a branch secretary has to redo, what
waits for a reviewer, and the programme's coverage at a glance. Each function costs a fixed
number of queries, however many applications it reports."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import assignments, review_levels
from branches.models import Role
from branches.selectors import secretary_scope
from workflow.selectors import last_comments
from workflow.worklist import QueueCount, WorkItem

from ..models import BrandApplication, Reshaping, ReshapingStatus, Status
from ..rules import may_hold_brand
from .coverage import Coverage, coverage_totals, target_for

APPLICATION, RESHAPING = "application", "reshaping"
TITLES = {
    APPLICATION: _lazy("品牌申报“%(name)s”已退回修改"),
    RESHAPING: _lazy("品牌重塑“%(name)s”被退回修改"),
}
EDIT_URLS = {APPLICATION: "brands:edit", RESHAPING: "brands:edit_reshaping"}


@dataclass(frozen=True)
class OwnApplications:
    """What the 工作台 reads of the secretary's own brands, once for brands and flagship."""

    #: (kind, pk, name, unit name, unit path) of the returned applications and reshapings
    #: in the secretary's subtrees, in tree order
    returned: list[tuple]
    #: the units of the secretary's own roles that may hold a brand and whose brand is built
    #: (flagship's eligibility: `flagship.eligibility.eligible_by_cycle(built=…)`)
    built_unit_ids: frozenset[int]


def own_applications(user) -> OwnApplications:
    """The returned brand applications and reshapings (品牌重塑) of the secretary's subtrees,
    and which of their own units hold a built brand (建成): one query (a union)."""
    roles = assignments(user, Role.SECRETARY)
    own = {ra.unit_id for ra in roles if may_hold_brand(ra.unit)}
    if own and len(own) == len(roles):
        # every role at a brand holder (the usual secretary, of a branch): their subtrees
        # hold few brands, so one status test; other units' built ones are left out below
        # (a 党总支's branches)
        wanted = Q(status__in=[Status.RETURNED, Status.BUILT])
    elif own:
        wanted = Q(status=Status.RETURNED) | Q(status=Status.BUILT, unit_id__in=own)
    else:
        wanted = Q(status=Status.RETURNED)
    apps = (
        secretary_scope(BrandApplication.objects.filter(wanted), user)
        .annotate(kind=Value(APPLICATION))
        .values_list("kind", "pk", "name", "unit__name", "unit__path", "status", "unit_id")
    )
    reshapings = (
        secretary_scope(
            Reshaping.objects.filter(status=ReshapingStatus.RETURNED),
            user,
            unit_field="application__unit",
        )
        .annotate(kind=Value(RESHAPING))
        .values_list(
            "kind",
            "pk",
            "name",
            "application__unit__name",
            "application__unit__path",
            "status",
            "application__unit_id",
        )
    )
    rows = list(apps.union(reshapings, all=True))
    returned = [row[:5] for row in rows if row[0] == RESHAPING or row[5] == Status.RETURNED]
    return OwnApplications(
        returned=sorted(returned, key=lambda r: (r[4], r[0], r[1])),
        built_unit_ids=frozenset(
            row[6]
            for row in rows
            if row[0] == APPLICATION and row[5] == Status.BUILT and row[6] in own
        ),
    )


def secretary_items(user, own: OwnApplications | None = None) -> list[WorkItem]:
    """The brand applications and brand reshapings of the secretary's units that a
    reviewer returned for revision, each with the reviewer's comment and a link to edit it.
    One query for both (`own_applications`, or `own` when the caller read it), plus one for
    the comments of each kind that has any."""
    rows = (own or own_applications(user)).returned
    comments = {
        kind: last_comments(
            [model(pk=row[1]) for row in rows if row[0] == kind], to_state=Status.RETURNED
        )
        for kind, model in ((APPLICATION, BrandApplication), (RESHAPING, Reshaping))
    }
    unnamed = _("（未命名品牌）")
    return [
        WorkItem(
            title=str(TITLES[kind]) % {"name": name or unnamed},
            url=reverse(EDIT_URLS[kind], args=[pk]),
            unit=unit_name,
            status=str(Status.RETURNED.label),
            comment=comments[kind].get(pk, ""),
            returned=True,
        )
        for kind, pk, name, unit_name, _path in rows
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
