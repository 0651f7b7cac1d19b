"""What a published tier leads to (seed 003: 三类整改、一类争创品牌): tier 3 opens a
rectification plan for the unit, tier 1 invites it to file a brand. Called by evaluation's
`results_published` signal inside the publishing transaction (`apps.py`), so a plan exists
exactly when its result is published.

Opening is idempotent per (period, unit) — the unique constraints — and costs a fixed number
of queries per publication, however many results: the results, the plans already open, the
reviewing levels, the inserts, the audit rows, the secretaries, the notification."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.access import secretaries_at_units
from branches.models import OrgUnit, UnitType
from branches.selectors import COMMITTEE_TYPES
from brands.selectors.applications import units_with_live_application
from evaluation.selectors.published import tiered_results
from workflow.models import AuditEntry
from workflow.services import notify, object_label
from workflow.windows import local_today

from .models import UNFINISHED, BrandInvitation, PlanStatus, RectificationPlan

RECTIFY, BRAND = 3, 1
REVIEWING_TYPES = (UnitType.GENERAL_BRANCH, *COMMITTEE_TYPES)
CHUNK = 500


def follow_up_results(period, scope_path: str) -> tuple[int, int]:
    """Open the plans and invitations the period's newly published results in the subtree at
    `scope_path` call for, in the period kinds settings.RECTIFICATION_PERIOD_KINDS names.
    Returns (plans opened, invitations sent)."""
    if period.kind not in settings.RECTIFICATION_PERIOD_KINDS:
        return 0, 0
    results = tiered_results(period, scope_path, (RECTIFY, BRAND))
    return (
        open_plans(period, [r for r in results if r.tier == RECTIFY]),
        invite(period, [r for r in results if r.tier == BRAND]),
    )


def _relink(model, period, results) -> list:
    """The results whose unit has no row yet; rows whose assessment was replaced (an
    aggregate recomputed) point at the new one."""
    existing = {
        unit_id: (pk, assessment_id)
        for pk, unit_id, assessment_id in model.objects.filter(period=period).values_list(
            "pk", "unit_id", "assessment_id"
        )
    }
    stale = [
        model(pk=existing[r.unit_id][0], assessment_id=r.assessment_id)
        for r in results
        if r.unit_id in existing and existing[r.unit_id][1] != r.assessment_id
    ]
    if stale:
        model.objects.bulk_update(stale, ["assessment"], batch_size=CHUNK)
    return [r for r in results if r.unit_id not in existing]


def reviewing_levels(paths) -> dict[str, int | None]:
    """Each unit path's nearest reviewing ancestor (general branch, else committee, else the
    province): the first level of its approval chain (`branches.selectors.approval_chain`),
    found for all paths with one query per CHUNK ancestor paths."""
    step = OrgUnit.steplen
    prefixes = {p[:n] for p in paths for n in range(step, len(p), step)}
    reviewing = {}
    ordered = sorted(prefixes)
    for i in range(0, len(ordered), CHUNK):
        reviewing.update(
            OrgUnit.objects.filter(
                path__in=ordered[i : i + CHUNK], unit_type__in=REVIEWING_TYPES
            ).values_list("path", "pk")
        )
    levels = {}
    for p in paths:
        nearest = None
        for n in range(len(p) - step, 0, -step):
            if p[:n] in reviewing:
                nearest = reviewing[p[:n]]
                break
        levels[p] = nearest
    return levels


def _audit_opened(plans):
    units = OrgUnit.objects.in_bulk([p.unit_id for p in plans])  # their names, in one query
    for plan in plans:
        plan.unit = units[plan.unit_id]
    content_type = ContentType.objects.get_for_model(RectificationPlan)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=None,
                content_type=content_type,
                object_id=plan.pk,
                object_repr=object_label(plan),
                unit=plan.unit,
                action="open",
                to_state=PlanStatus.OPEN,
                comment=_("考评结果为第三梯队（%(star)s），自动启动整改")
                % {"star": _("%(n)s星") % {"n": plan.star} if plan.star else _("一票否决")},
            )
            for plan in plans
        ),
        batch_size=CHUNK,
    )


def _secretaries(unit_ids):
    users = []
    for i in range(0, len(unit_ids), CHUNK):
        users += secretaries_at_units(unit_ids[i : i + CHUNK])
    return users


def open_plans(period, results) -> int:
    """A plan per tier-3 result without one, due settings.RECTIFICATION_DEADLINE_DAYS after
    today, reviewed at the unit's first approval level; its secretaries are told."""
    new = _relink(RectificationPlan, period, results)
    if not new:
        return 0
    deadline = local_today() + datetime.timedelta(days=settings.RECTIFICATION_DEADLINE_DAYS)
    levels = reviewing_levels({r.unit_path for r in new})
    plans = RectificationPlan.objects.bulk_create(
        [
            RectificationPlan(
                period=period,
                assessment_id=r.assessment_id,
                unit_id=r.unit_id,
                period_name=period.name,
                star=r.star,
                total=r.total,
                reviewing_unit_id=levels[r.unit_path],
                deadline=deadline,
            )
            for r in new
        ],
        batch_size=CHUNK,
    )
    if any(p.pk is None for p in plans):  # a backend that does not return ids on insert
        plans = list(
            RectificationPlan.objects.filter(period=period, unit_id__in=[r.unit_id for r in new])
        )
    _audit_opened(plans)
    notify(
        _secretaries([r.unit_id for r in new]),
        title=_("“%(period)s”考评结果为第三梯队，请于 %(date)s 前完成整改")
        % {"period": period.name, "date": date_format(deadline)},
        body=_("请制定整改计划（查摆问题、整改措施、责任人、完成时限）并提交上级党组织审核。"),
        url=reverse("rectification:mine"),
    )
    return len(plans)


def invite(period, results) -> int:
    """An invitation per tier-1 result of a unit that has no live brand application yet; its
    secretaries are told. The dashboard shows it until a brand is filed."""
    new = _relink(BrandInvitation, period, results)
    if not new:
        return 0
    ids, branded = [r.unit_id for r in new], set()
    for i in range(0, len(ids), CHUNK):
        branded.update(
            units_with_live_application()
            .filter(unit_id__in=ids[i : i + CHUNK])
            .values_list("unit_id", flat=True)
        )
    new = [r for r in new if r.unit_id not in branded]
    if not new:
        return 0
    BrandInvitation.objects.bulk_create(
        [
            BrandInvitation(
                period=period,
                assessment_id=r.assessment_id,
                unit_id=r.unit_id,
                period_name=period.name,
                star=r.star,
                total=r.total,
            )
            for r in new
        ],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    notify(
        _secretaries([r.unit_id for r in new]),
        title=_("“%(period)s”考评获评五星（第一梯队），邀请您的支部创建品牌")
        % {"period": period.name},
        body=_("在工作台点击“创建品牌”，申报表已按考评结果预先填写。"),
        url=reverse("dashboard"),
    )
    return len(new)


def sync_reviewing_levels(path: str) -> int:
    """The unit at `path` moved with its subtree: their unfinished plans are reviewed at the
    first approval level above where each unit sits now (a closed plan keeps who closed it).
    Wired to `branches.signals.subtree_moved`. Returns how many plans changed level."""
    plans = list(
        RectificationPlan.objects.filter(unit__path__startswith=path, status__in=UNFINISHED)
        .select_related("unit")
        .only("pk", "reviewing_unit_id", "unit__path")
    )
    levels = reviewing_levels({p.unit.path for p in plans})
    changed = [p for p in plans if levels[p.unit.path] != p.reviewing_unit_id]
    for plan in changed:
        plan.reviewing_unit_id = levels[plan.unit.path]
    RectificationPlan.objects.bulk_update(changed, ["reviewing_unit"], batch_size=CHUNK)
    return len(changed)
