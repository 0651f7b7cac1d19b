"""The flagship cycle's part of the dashboard (工作台): the steps a branch secretary has due
(apply while the window is open, revise a returned candidacy, file the two-year plan, upload
the summary), the candidacies waiting for a reviewer, and the running cycle's phase. Each
function costs a fixed number of queries, however many candidacies it reports."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import review_levels
from workflow.selectors import last_comments
from workflow.windows import local_today
from workflow.worklist import QueueCount, WorkItem

from ..eligibility import eligible_by_cycle
from ..models import (
    AttachmentKind,
    Candidacy,
    CandidacyAttachment,
    CandidacyStatus,
    FlagshipCycle,
    Phase,
)
from ..windows import application_window, summary_window
from .cycles import current_cycle, own_branch_units

S = CandidacyStatus


def _candidacies(branches, cycles):
    """The branches' candidacies in `cycles`, in tree order, each with its cycle and unit from
    those given (no join to read them again) and whether a summary is attached."""
    summaries = CandidacyAttachment.objects.filter(
        candidacy=OuterRef("pk"), kind=AttachmentKind.SUMMARY
    )
    units = {u.pk: u for u in branches}
    by_pk = {c.pk: c for c in cycles}
    found = list(
        Candidacy.objects.filter(unit_id__in=list(units), cycle_id__in=list(by_pk))
        .only("pk", "status", "plan_filed_at", "unit_id", "cycle_id")
        .annotate(has_summary=Exists(summaries))
        .order_by()
    )
    for c in found:
        c.unit, c.cycle = units[c.unit_id], by_pk[c.cycle_id]
    return sorted(found, key=lambda c: c.unit.path)


def _apply_items(cycle, branches, filed, eligible):
    """Branches that may still file a first candidacy in the cycle's open application
    window."""
    return [
        WorkItem(
            title=_("%(cycle)s 旗舰品牌申报") % {"cycle": cycle.name},
            url=reverse("flagship:apply", args=[cycle.pk, unit.pk]),
            unit=unit.name,
            status=_("可申报"),
            due_on=cycle.application_closes_on,
        )
        for unit in branches
        if unit.pk in eligible and (cycle.pk, unit.pk) not in filed
    ]


def _candidacy_item(c, comments, now):
    cycle = c.cycle
    if cycle.phase == Phase.APPLICATION:
        if c.status == S.RETURNED:
            return WorkItem(
                title=_("%(cycle)s 旗舰品牌申报已退回修改") % {"cycle": cycle.name},
                url=reverse("flagship:edit", args=[c.pk]),
                unit=c.unit.name,
                status=str(S.RETURNED.label),
                comment=comments.get(c.pk, ""),
                returned=True,
            )
        if c.status == S.DRAFT and not application_window(cycle).has_closed(now):
            return WorkItem(
                title=_("%(cycle)s 旗舰品牌申报") % {"cycle": cycle.name},
                url=reverse("flagship:edit", args=[c.pk]),
                unit=c.unit.name,
                status=str(S.DRAFT.label),
                due_on=cycle.application_closes_on,
            )
        return None
    if c.status != S.ACCEPTED or summary_window(cycle).has_closed(now):
        return None  # management phase: only candidates, until the summary deadline
    missing = []
    if c.plan_filed_at is None:
        missing.append(_("两年创建计划"))
    if not c.has_summary:
        missing.append(_("总结材料"))
    if not missing:
        return None
    return WorkItem(
        title=_("%(cycle)s 旗舰品牌：提交%(what)s")
        % {"cycle": cycle.name, "what": _("、").join(missing)},
        url=reverse("flagship:candidacy", args=[c.pk]),
        unit=c.unit.name,
        status=_("待提交"),
        due_on=cycle.summary_deadline,
    )


def secretary_items(user, built_unit_ids=None) -> list[WorkItem]:
    """The flagship steps due for the secretary's branches (from the role assignments, no
    query). At most seven queries (the cycles in the application or management phase, their
    candidacies, the last comments when one was returned, and while an application window
    is open the eligibility's four, three with `built_unit_ids`: which of the secretary's
    branches hold a built brand, when the caller read them), whatever their number."""
    branches = own_branch_units(user)
    if not branches:
        return []
    now = timezone.now()
    today = local_today(now)
    cycles = list(FlagshipCycle.objects.filter(phase__in=[Phase.APPLICATION, Phase.MANAGEMENT]))
    if not cycles:
        return []
    candidacies = _candidacies(branches, cycles)
    comments = last_comments(
        [c for c in candidacies if c.status == S.RETURNED], to_state=S.RETURNED
    )
    items = [i for c in candidacies if (i := _candidacy_item(c, comments, now)) is not None]
    open_windows = [c for c in cycles if application_window(c).check(now)[0]]
    if open_windows:
        filed = {(c.cycle_id, c.unit_id) for c in candidacies}
        eligible = eligible_by_cycle(branches, open_windows, today, built=built_unit_ids)
        for cycle in open_windows:
            items += _apply_items(cycle, branches, filed, eligible[cycle.pk])
    return items


def reviewer_queues(user) -> list[QueueCount]:
    """Per cycle, the candidacies waiting at the levels where this user approves, with the
    longest wait; only cycles where something waits. One query."""
    rows = (
        Candidacy.objects.filter(status=S.IN_REVIEW, current_level_id__in=review_levels(user))
        .values("cycle_id", "cycle__name")
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
        .order_by("cycle_id")
    )
    return [
        QueueCount(
            label=_("%(cycle)s 旗舰品牌申报待审") % {"cycle": r["cycle__name"]},
            count=r["n"],
            oldest_at=r["oldest"],
            url=reverse("flagship:queue", args=[r["cycle_id"]]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CycleStatus:
    name: str
    phase: str
    url: str


def cycle_status() -> CycleStatus | None:
    """The running cycle (else the newest) and its phase. One query."""
    cycle = current_cycle()
    if cycle is None:
        return None
    return CycleStatus(
        name=cycle.name,
        phase=str(cycle.get_phase_display()),
        url=reverse("flagship:cycle", args=[cycle.pk]),
    )
