"""Who may do what in the flagship cycle. Every permission of this app is declared here.

* The provincial committee (Role.PROVINCE_REVIEWER) and administrators run cycles: create and
  configure them, appoint the review committee and its chair, advance phases explicitly.
* A secretary files the candidacy of a branch or general branch in their subtree (the units
  that may hold a brand: `brands.rules.may_hold_brand`), and, once it is
  accepted, its plan and summary materials; after the awards, its obligations.
* Reviewers (REVIEWER / PROVINCE_REVIEWER) decide a candidacy at the level whose turn it is,
  exactly like a brand application.
* Review committee members are the cycle's CommitteeMember rows whose user still holds the
  FLAGSHIP_COMMITTEE role: they score, record site visits and veto checks, handle objections.
  The chair (the member with `is_chair`) names the units and the bases.
* Every logged-in user may read the public notice and the awards, object during the notice and
  cast one ballot in the public vote.
"""

import rules

from branches import access
from branches.access import REVIEWER_ROLES as REVIEW_ROLES  # noqa: F401 (selectors/cycles.py)
from branches.access import secretary_covers
from branches.models import Role
from branches.selectors import has_role, in_scope
from brands.rules import may_hold_brand

from .models import EDITABLE_STATUSES, CandidacyStatus


def _authenticated(user):
    return getattr(user, "is_authenticated", False)


def membership(user, cycle_id) -> bool | None:
    """None if the user is not on the cycle's committee, else whether they chair it. Cached
    per user object; a miss is asked again (a membership may have been added meanwhile), and a
    user without the committee role costs no query."""
    if cycle_id is None or not _authenticated(user):
        return None
    if not has_role(user, Role.FLAGSHIP_COMMITTEE):
        return None
    cached = getattr(user, "_flagship_memberships", None)
    if cached is None or cycle_id not in cached:
        from .models import CommitteeMember

        cached = dict(CommitteeMember.objects.filter(user=user).values_list("cycle_id", "is_chair"))
        user._flagship_memberships = cached
    return cached.get(cycle_id)


def _cycle_id(obj):
    if obj is None:
        return None
    return getattr(obj, "cycle_id", None) or obj.pk


@rules.predicate
def manages_cycles(user):
    return has_role(user, Role.PROVINCE_REVIEWER, Role.ADMIN)


@rules.predicate
def sees_candidacy(user, candidacy):
    return candidacy is not None and in_scope(user, candidacy.unit)


@rules.predicate
def is_own_secretary(user, candidacy):
    return candidacy is not None and secretary_covers(user, candidacy.unit)


@rules.predicate
def can_file_for_unit(user, unit):
    return may_hold_brand(unit) and secretary_covers(user, unit)


@rules.predicate
def is_editable(user, candidacy):
    return candidacy is not None and candidacy.status in EDITABLE_STATUSES


@rules.predicate
def reviews_current_level(user, candidacy):
    """Only a reviewer holding a role at the level whose turn it is may decide."""
    return (
        candidacy is not None
        and candidacy.status == CandidacyStatus.IN_REVIEW
        and access.reviews_at_level(user, candidacy.current_level_id)
    )


is_reviewer = rules.predicate(access.is_reviewer)


@rules.predicate
def is_committee_member(user, obj):
    """`obj` is a cycle or anything that carries `cycle_id` (a candidacy)."""
    return membership(user, _cycle_id(obj)) is not None


@rules.predicate
def is_chair(user, obj):
    return bool(membership(user, _cycle_id(obj)))


@rules.predicate
def holds_committee_role(user):
    return has_role(user, Role.FLAGSHIP_COMMITTEE)


@rules.predicate
def is_honour_secretary(user, honour):
    return honour is not None and secretary_covers(user, honour.unit)


authenticated = rules.is_authenticated

# Names never take Django's model permission form (view_/add_/change_/delete_ + model name):
# the admin asks those without an object.
rules.add_perm("flagship.view_cycles", authenticated)
rules.add_perm("flagship.manage_cycle", authenticated & manages_cycles)
rules.add_perm("flagship.file_candidacy", authenticated & can_file_for_unit)
rules.add_perm("flagship.read_candidacy", authenticated & (sees_candidacy | is_committee_member))
rules.add_perm("flagship.edit_candidacy", authenticated & is_own_secretary & is_editable)
rules.add_perm("flagship.submit_candidacy", authenticated & is_own_secretary)
rules.add_perm("flagship.review_candidacy", authenticated & reviews_current_level)
rules.add_perm("flagship.view_review_queue", authenticated & is_reviewer)
rules.add_perm("flagship.lock_candidacy", authenticated & manages_cycles)
rules.add_perm(
    "flagship.disqualify_candidacy", authenticated & (is_committee_member | manages_cycles)
)
# The plan and the summary materials of an accepted candidate (the service checks the phase).
rules.add_perm("flagship.manage_candidate", authenticated & is_own_secretary)
rules.add_perm("flagship.object", authenticated)
rules.add_perm("flagship.handle_objections", authenticated & (is_committee_member | manages_cycles))
rules.add_perm("flagship.view_committee_board", authenticated & is_committee_member)
rules.add_perm("flagship.score", authenticated & holds_committee_role & is_committee_member)
rules.add_perm("flagship.chair", authenticated & holds_committee_role & is_chair)
rules.add_perm("flagship.vote", authenticated)
rules.add_perm("flagship.view_awards", authenticated)
rules.add_perm("flagship.fulfil_obligation", authenticated & is_honour_secretary)
