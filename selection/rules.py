"""Who may do what in 省级品牌评选, in one place:

* the province (省公司党建工作部审核人) opens a round, decides the proposals and publishes; an
  administrator may open a round too (cycles and deadlines are theirs);
* a committee's reviewer (市分公司党委 / 直属党委, a reviewer role *at* the committee) proposes
  built brands of the committee's subtree and scores its own committee's proposals;
* reviewers and administrators read an open round (a committee's reviewer only its own
  committee's proposals: `selectors.proposals_visible_to`); everyone with a role reads a
  published one."""

import rules

from branches import access
from branches.models import Role
from branches.selectors import committee_ids, has_role, scope_paths

from .models import RoundStatus


@rules.predicate
def is_province_reviewer(user):
    return has_role(user, Role.PROVINCE_REVIEWER)


@rules.predicate
def is_administrator(user):
    return has_role(user, Role.ADMIN)


@rules.predicate
def reviews_a_committee(user):
    return access.is_reviewer(user)


@rules.predicate
def reviews_at_brands_committee(user, application):
    """A reviewer role at the city/direct committee above the brand's unit."""
    if application is None:
        return False
    committee = committee_ids([application.unit])[application.unit_id]
    return access.reviews_at_level(user, committee)


@rules.predicate
def reviews_at_proposing_committee(user, proposal):
    return proposal is not None and access.reviews_at_level(user, proposal.committee_id)


@rules.predicate
def reads_round(user, round_):
    if round_ is None:
        return False
    if round_.status == RoundStatus.PUBLISHED:
        return bool(scope_paths(user))
    return access.is_reviewer(user) or has_role(user, Role.ADMIN)


rules.add_perm(
    "selection.open_round", rules.is_authenticated & (is_province_reviewer | is_administrator)
)
rules.add_perm("selection.view_round", rules.is_authenticated & reads_round)
rules.add_perm("selection.propose", rules.is_authenticated & reviews_at_brands_committee)
rules.add_perm("selection.score_proposal", rules.is_authenticated & reviews_at_proposing_committee)
rules.add_perm("selection.decide", rules.is_authenticated & is_province_reviewer)
