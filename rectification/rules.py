"""Who may do what with rectification plans. Every permission of this app is declared here.

* The branch's secretary (`access.secretary_covers`) fills, submits and reports completion of
  its plans, and answers its brand invitations.
* The reviewer at the plan's `reviewing_unit` — the branch's first approval level (general
  branch, else its committee), fixed when the plan opened — approves or returns the plan and
  accepts or sends back the completion (`access.reviews_at_level`, as for brand applications).
* Anyone whose scope holds the branch (reviewers above it, the province, administrators)
  reads its plans; reviewers and administrators have the list of plans in their subtree.
"""

import rules

from branches import access
from branches.selectors import in_scope, is_administrator

from .models import EDITABLE


def _unit(plan):
    return getattr(plan, "unit", None)


@rules.predicate
def files_for(user, plan):
    return access.secretary_covers(user, _unit(plan))


@rules.predicate
def is_editable(user, plan):
    return getattr(plan, "status", None) in EDITABLE


@rules.predicate
def reviews_plan(user, plan):
    return plan is not None and access.reviews_at_level(user, plan.reviewing_unit_id)


@rules.predicate
def sees_plan(user, plan):
    return in_scope(user, _unit(plan))


@rules.predicate
def lists_plans(user):
    return access.is_reviewer(user) or is_administrator(user)


auth = rules.is_authenticated
rules.add_perm("rectification.read_plan", auth & sees_plan)
rules.add_perm("rectification.file_plan", auth & files_for)
rules.add_perm("rectification.edit_plan", auth & files_for & is_editable)
rules.add_perm("rectification.review_plan", auth & reviews_plan)
rules.add_perm("rectification.list_plans", auth & lists_plans)
