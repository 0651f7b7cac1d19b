"""Who may do what in evaluation. Every permission of this app is declared here.

* A secretary (Role.SECRETARY) fills and submits the assessments of the units in their subtree
  (their branch, and its party groups for the party-group table).
* A reviewer (Role.REVIEWER at a general branch, city or directly-affiliated committee) and the
  province reviewer review within their subtree: adjust scores with reasons, trigger a veto,
  accept (线下验收) or return.
* A reviewer above the unit records bonus items (加分项) with a reason until the result is
  published (`services/bonus.py`).
* The committee publishes its part of a period: a reviewer holding the role *at* a city or
  directly-affiliated committee publishes that committee's subtree; the province reviewer may
  publish any part (or the whole). A general branch does not publish.
* The province reviewer and the administrator manage periods; administrators edit tables (in the
  admin). Publishing results stays with the reviewers (separation of duties).
* Rankings and exports are for reviewers' insight (reviewers, province, flagship committee,
  administrators), each within their subtree; a branch sees its own published result, its
  radar against the category average and its rank within its category, never a leaderboard.
  Which ranks a page shows is decided once, in `selectors/ranks.py` (`rank_views`).
"""

import rules

from branches import access
from branches.access import INSIGHT_ROLES, REVIEWER_ROLES, reviewer_covers, secretary_covers
from branches.models import Role, UnitType
from branches.selectors import has_role, in_scope, is_administrator, scope_paths

from .models import EDITABLE_STATUSES, Status

PUBLISHING_UNIT_TYPES = (UnitType.CITY, UnitType.DIRECT)


def _unit(obj):
    """The unit of an assessment; None when a caller (e.g. the admin) asks without one."""
    return getattr(obj, "unit", None)


@rules.predicate
def is_own_secretary(user, assessment):
    return secretary_covers(user, _unit(assessment))


@rules.predicate
def reviews_assessment(user, assessment):
    return reviewer_covers(user, _unit(assessment))


@rules.predicate
def is_editable(user, assessment):
    return getattr(assessment, "status", None) in EDITABLE_STATUSES


@rules.predicate
def is_under_review(user, assessment):
    return getattr(assessment, "status", None) == Status.SUBMITTED


@rules.predicate
def is_unpublished(user, assessment):
    return getattr(assessment, "status", None) not in (None, Status.PUBLISHED)


@rules.predicate
def sees_assessment(user, assessment):
    return in_scope(user, _unit(assessment))


@rules.predicate
def sees_result(user, assessment):
    """The branch sees its result once published; reviewers as soon as it is scored."""
    status = getattr(assessment, "status", None)
    return status == Status.PUBLISHED or reviewer_covers(user, _unit(assessment))


@rules.predicate
def sees_unit(user, unit):
    return in_scope(user, unit)


@rules.predicate
def sees_period(user, period):
    """The period's scope and the user's subtrees overlap (one contains the other)."""
    if period is None:
        return False
    scope = period.scope.path
    return any(scope.startswith(p) or p.startswith(scope) for p in scope_paths(user))


@rules.predicate
def publishes_for(user, unit):
    if unit is None:
        return False
    for ra in access.assignments(user, *REVIEWER_ROLES):
        if ra.role == Role.PROVINCE_REVIEWER and unit.path.startswith(ra.unit.path):
            return True
        if ra.unit.pk == unit.pk and ra.unit.unit_type in PUBLISHING_UNIT_TYPES:
            return True
    return False


@rules.predicate
def manages_periods(user):
    return is_administrator(user) or has_role(user, Role.PROVINCE_REVIEWER)


@rules.predicate
def is_admin(user):
    return is_administrator(user)


@rules.predicate
def has_insight(user):
    return getattr(user, "is_superuser", False) or has_role(user, *INSIGHT_ROLES)


is_reviewer = rules.predicate(access.is_reviewer)


@rules.predicate
def holds_any_role(user):
    return bool(scope_paths(user))


auth = rules.is_authenticated
rules.add_perm("evaluation.use", auth & holds_any_role)
rules.add_perm("evaluation.view_period", auth & sees_period)
# Not "view_assessment": Django's admin asks for its own model permission by that name.
rules.add_perm("evaluation.read_assessment", auth & sees_assessment)
rules.add_perm("evaluation.view_result", auth & sees_assessment & sees_result)
rules.add_perm("evaluation.edit_assessment", auth & is_own_secretary & is_editable)
rules.add_perm("evaluation.submit_assessment", auth & is_own_secretary)
rules.add_perm("evaluation.review_assessment", auth & reviews_assessment)
rules.add_perm("evaluation.adjust_scores", auth & reviews_assessment & is_under_review)
rules.add_perm("evaluation.record_bonus", auth & reviews_assessment & is_unpublished)
rules.add_perm("evaluation.publish_period", auth & publishes_for)
rules.add_perm("evaluation.manage_periods", auth & manages_periods)
rules.add_perm("evaluation.view_rankings", auth & has_insight)
rules.add_perm("evaluation.export_results", auth & has_insight)
rules.add_perm("evaluation.view_review_queue", auth & is_reviewer)
rules.add_perm("evaluation.view_trend", auth & sees_unit)
rules.add_perm("evaluation.view_tables", auth)
rules.add_perm("evaluation.manage_tables", auth & is_admin)
