"""Who may do what with brand applications. Every permission of this app is declared here."""

import rules

from branches import access
from branches.models import Role, UnitType
from branches.selectors import approval_chain, has_role, in_scope

from .models import EDITABLE_STATUSES, SHOWCASE_STATUSES, Level

#: The units that may hold a brand (and so file one, and stand for the flagship honour): the
#: 党支部 and, since seed 000 opens the ladder to 党(总)支部, the 党总支. The one answer to
#: "may this unit have a brand?"; querysets filter with `unit_type__in=BRAND_HOLDER_TYPES`.
BRAND_HOLDER_TYPES = (UnitType.BRANCH, UnitType.GENERAL_BRANCH)


def may_hold_brand(unit) -> bool:
    """The unit is a 党支部 or a 党总支: it may file a brand application and a flagship
    candidacy (its own secretary files; the approval chain runs from its parent upward)."""
    return unit is not None and unit.unit_type in BRAND_HOLDER_TYPES


#: The units that may lead a "1+N" brand cluster (品牌集群) with their own "1" brand: the
#: committees under the province (市分公司党委, 直属党委) and the 党总支 (seed 000: "各分公司党委、
#: 各党总支 … 形成品牌集群"). A committee's "1" brand is filed like any brand, by its own
#: secretary, and climbs the chain from its parent upward (`approval_chain` never holds the
#: unit itself): its own reviewer decides nothing on it.
CLUSTER_LEAD_TYPES = (UnitType.CITY, UnitType.DIRECT, UnitType.GENERAL_BRANCH)


def may_lead_cluster(unit) -> bool:
    """The unit is a committee or a 党总支: its brand is the "1" of a 1+N cluster that gathers
    approved brands of its subtree (brands/clusters.py)."""
    return unit is not None and unit.unit_type in CLUSTER_LEAD_TYPES


def may_file_brand(unit) -> bool:
    """A unit files a brand if it may hold one (党支部, 党总支) or lead a cluster (a committee's
    "1" brand). Flagship and coverage keep asking `may_hold_brand` / 党支部 only."""
    return may_hold_brand(unit) or may_lead_cluster(unit)


#: The unit types that may file a brand (`may_file_brand`), for querysets.
BRAND_FILER_TYPES = tuple(dict.fromkeys((*BRAND_HOLDER_TYPES, *CLUSTER_LEAD_TYPES)))


def is_demonstration_unit(unit, today=None) -> bool:
    """示范单位 for pairing (结对帮扶, seed 000's 闪亮: "省公司级的24家支部品牌和12家支部品牌建设
    示范单位，要结对帮扶…"): the unit holds a valid flagship honour — 旗舰品牌示范单位 or 示范基地
    (flagship's `honours_for_units`: active, not past its validity). One query."""
    if unit is None:
        return False
    from flagship.selectors.awards import honours_for_units  # flagship imports brands.rules

    return bool(honours_for_units([unit.pk], today=today).get(unit.pk))


def may_pair(application, today=None) -> bool:
    """A brand pairs with un-branded branches (结对帮扶) when it is a provincial-level brand
    or its unit is a demonstration unit (`is_demonstration_unit`)."""
    return application.level == Level.PROVINCIAL or is_demonstration_unit(application.unit, today)


@rules.predicate
def sees_unit(user, application):
    return in_scope(user, application.unit)


@rules.predicate
def is_branch_secretary(user, application):
    """A secretary (or party-affairs worker) whose scope holds the application's unit (the
    branch or general branch itself, or a unit above it)."""
    return access.secretary_covers(user, application.unit)


@rules.predicate
def can_file_for_unit(user, unit):
    return may_file_brand(unit) and access.secretary_covers(user, unit)


@rules.predicate
def is_editable(user, application):
    return application.status in EDITABLE_STATUSES


@rules.predicate
def reviews_current_level(user, application):
    """Only a reviewer holding a role at the level whose turn it is may decide (an application
    or a reshaping: each names its own in-review state)."""
    return application.status == application.in_review_state and access.reviews_at_level(
        user, application.current_level_id
    )


@rules.predicate
def is_approved_brand(user, application):
    """The brand was approved (实施推进, 验收评审 or 已建成): it may be reshaped (重塑)."""
    return application.status in SHOWCASE_STATUSES


@rules.predicate
def is_province_reviewer(user):
    return has_role(user, Role.PROVINCE_REVIEWER)


@rules.predicate
def judges_acceptance(user, application):
    """Acceptance (验收评审) is judged by the branch's city/direct committee or the province."""
    return any(
        access.reviews_at_level(user, level)
        for level in approval_chain(application.unit)
        if level.unit_type != UnitType.GENERAL_BRANCH
    )


@rules.predicate
def leads_cluster(user, application):
    """The brand is a committee's or 党总支's own ("1") brand: its secretary gathers the
    cluster."""
    return may_lead_cluster(application.unit)


is_reviewer = rules.predicate(access.is_reviewer)


rules.add_perm("brands.view_application", rules.is_authenticated & sees_unit)
rules.add_perm("brands.file_application", rules.is_authenticated & can_file_for_unit)
rules.add_perm(
    "brands.edit_application", rules.is_authenticated & is_branch_secretary & is_editable
)
rules.add_perm("brands.submit_application", rules.is_authenticated & is_branch_secretary)
rules.add_perm("brands.review_application", rules.is_authenticated & reviews_current_level)
rules.add_perm("brands.view_review_queue", rules.is_authenticated & is_reviewer)
rules.add_perm("brands.request_acceptance", rules.is_authenticated & is_branch_secretary)
rules.add_perm("brands.judge_acceptance", rules.is_authenticated & judges_acceptance)
rules.add_perm("brands.name_provincial", rules.is_authenticated & is_province_reviewer & sees_unit)
# A brand's life after approval (brands/lifecycle.py checks the status): activities, 三亮
# records and publications are the branch's own; a pairing may also be recorded by the province.
rules.add_perm("brands.record_lifecycle", rules.is_authenticated & is_branch_secretary)
rules.add_perm(
    "brands.pair_brand",
    rules.is_authenticated & (is_branch_secretary | (is_province_reviewer & sees_unit)),
)
# Follow-up notes on a pairing (帮扶跟进): the pairing brand's holder, its secretary.
rules.add_perm("brands.follow_pairing", rules.is_authenticated & is_branch_secretary)
# 1+N clusters (brands/clusters.py): the "1" brand's secretary gathers and releases members.
rules.add_perm(
    "brands.gather_cluster", rules.is_authenticated & is_branch_secretary & leads_cluster
)
rules.add_perm("brands.view_showcase", rules.is_authenticated)
# 品牌重塑 (brands/reshaping.py): the holder (the brand's secretary) starts, edits and submits a
# reshaping of an approved brand; it is decided level by level like the application.
rules.add_perm(
    "brands.reshape_brand", rules.is_authenticated & is_branch_secretary & is_approved_brand
)
# (not "view_reshaping": that is Django's model permission, asked by the admin without an object)
rules.add_perm("brands.see_reshaping", rules.is_authenticated & sees_unit)
rules.add_perm("brands.edit_reshaping", rules.is_authenticated & is_branch_secretary & is_editable)
rules.add_perm("brands.submit_reshaping", rules.is_authenticated & is_branch_secretary)
rules.add_perm("brands.review_reshaping", rules.is_authenticated & reviews_current_level)
