"""Writes of 品牌党小组评选 (seed 004): at the year's end (年底, from its last quarter's last month
until the end of the next year) the branch proposes one or two of its groups from the year's
published quarterly results, with its reasons on the aspects the seed names; a group vetoed in
any quarter of the year (违规一票否决) cannot be proposed. The reviewer above the branch confirms
or declines (with a reason). Atomic, locked, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import SUBTREE_REVIEWING_TYPES, secretaries_at, users_with_role_at
from branches.models import OrgUnit, Role
from branches.selectors import ancestors_of
from common.errors import DomainError
from workflow.services import notify, record_audit
from workflow.windows import local_today

from ..audit import Action
from ..models import BrandGroupNomination, NominationStatus
from ..quarters import Quarter
from ..selectors import assessment as assessment_selectors

#: 评选出1-2个优秀党小组: at most this many groups per branch and year.
MAX_PER_BRANCH = 2


class NominationError(DomainError):
    """A refused 品牌党小组 proposal or decision; the message says why."""


def nominable_years(today: datetime.date) -> list[int]:
    """The years a branch may propose for on `today`: a year from the first day of its last
    quarter's last month (年底) until the end of the following year, newest first."""
    years = [today.year - 1]
    if today >= Quarter(today.year, 4).opens_on:
        years.insert(0, today.year)
    return years


@transaction.atomic
def propose(*, actor, group, year: int, reason: str) -> BrandGroupNomination:
    branch = group.branch
    if not actor.has_perm("groups.propose_brand_group", branch):
        raise PermissionDenied(_("只有本支部书记或系统管理员可以推荐品牌党小组。"))
    if year not in nominable_years(local_today()):
        raise NominationError(
            _("%(year)d年度品牌党小组的推荐时间为该年12月1日至次年年底。") % {"year": year}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("请填写推荐理由（政治表现、党建工作完成、小组活动组织、纪律作风表现）。")}
        )
    OrgUnit.objects.select_for_update().filter(pk=branch.pk).first()  # one proposal at a time
    row = next(
        (r for r in assessment_selectors.year_table(branch, year) if r.group_id == group.pk), None
    )
    if row is None:
        raise NominationError(_("该党小组本年度尚无公布的季度考评结果。"))
    if row.vetoed:
        raise NominationError(_("该党小组本年度有季度考评被一票否决，不能推荐。"))
    existing = BrandGroupNomination.objects.filter(group=group, year=year).first()
    if existing is not None and existing.status != NominationStatus.DECLINED:
        raise NominationError(_("该党小组已推荐过本年度品牌党小组。"))
    live = BrandGroupNomination.objects.filter(branch=branch, year=year).exclude(
        status=NominationStatus.DECLINED
    )
    if live.count() >= MAX_PER_BRANCH:
        raise NominationError(
            _("每个支部每年至多推荐 %(n)d 个品牌党小组。") % {"n": MAX_PER_BRANCH}
        )
    nomination = existing or BrandGroupNomination(branch=branch, group=group, year=year)
    nomination.status = NominationStatus.PROPOSED
    nomination.accumulated, nomination.rank = row.total, row.rank
    nomination.quarters = sum(1 for q in row.quarters if q is not None)
    nomination.reason = reason
    nomination.proposed_by, nomination.proposed_at = actor, timezone.now()
    nomination.decided_by, nomination.decided_at, nomination.decision_note = None, None, ""
    nomination.save()
    record_audit(
        actor=actor,
        obj=nomination,
        action=Action.BRAND_GROUP_PROPOSED,
        to_state=nomination.status,
        comment=reason[:200],
        unit=branch,
    )
    notify(
        _reviewers_above(branch),
        title=_("%(branch)s 推荐 %(group)s 为%(year)d年度品牌党小组，请确认。")
        % {"branch": branch.name, "group": group.name, "year": year},
        url=reverse("groups:brand_groups"),
    )
    return nomination


def _reviewers_above(branch) -> list:
    """The reviewers of the general branch and committee above the branch (who confirm)."""
    reviewers = []
    for unit in ancestors_of(branch):
        if unit.unit_type in SUBTREE_REVIEWING_TYPES:
            reviewers += users_with_role_at(unit, Role.REVIEWER)
    return reviewers


@transaction.atomic
def decide(*, actor, nomination_id, confirm: bool, note: str = "") -> BrandGroupNomination:
    nomination = (
        BrandGroupNomination.objects.select_for_update(of=("self",))
        .select_related("branch", "group")
        .get(pk=nomination_id)
    )
    if not actor.has_perm("groups.confirm_brand_group", nomination.branch):
        raise PermissionDenied(_("只有支部的上级党组织审核人可以确认品牌党小组。"))
    if nomination.status != NominationStatus.PROPOSED:
        raise NominationError(_("该推荐已处理。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise ValidationError({"note": _("不予确认时请说明理由。")})
    nomination.status = NominationStatus.CONFIRMED if confirm else NominationStatus.DECLINED
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.decision_note = note
    nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_audit(
        actor=actor,
        obj=nomination,
        action=Action.BRAND_GROUP_DECIDED,
        from_state=NominationStatus.PROPOSED,
        to_state=nomination.status,
        comment=note,
        unit=nomination.branch,
    )
    notify(
        secretaries_at(nomination.branch),
        title=_("%(group)s %(year)d年度品牌党小组：%(outcome)s")
        % {
            "group": nomination.group.name,
            "year": nomination.year,
            "outcome": nomination.get_status_display(),
        },
        body=note,
        url=reverse("groups:assessments", args=[nomination.branch_id]) + f"?q={nomination.year}-4",
    )
    return nomination
