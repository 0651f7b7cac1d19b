"""Who may do what with the branch's records. Every permission of this app is declared here.

Personal data (the roster) is read by the roles that work with a branch — its secretary, the
reviewers of the committees and general branches above it, administrators — and only inside
the subtree where they hold that role (`branches.selectors.in_scope`). A role that has nothing
to do with members (the flagship committee) reads no roster, even at the province. Only the
branch's secretary and administrators change the roster; reviewers read."""

import rules

from branches.access import holds_role_over
from branches.models import OrgUnit, Role, UnitType
from branches.selectors import has_role

ROSTER_READERS = (Role.SECRETARY, Role.REVIEWER, Role.PROVINCE_REVIEWER, Role.ADMIN)
ROSTER_EDITORS = (Role.SECRETARY, Role.ADMIN)


def _holds_role_over(user, unit, roles) -> bool:
    """Some role of these reaches the unit (held there or above); a superuser holds all."""
    return getattr(user, "is_superuser", False) or holds_role_over(user, unit, *roles)


@rules.predicate
def reads_rosters(user):
    return getattr(user, "is_superuser", False) or has_role(user, *ROSTER_READERS)


@rules.predicate
def reads_roster_of(user, branch):
    return branch is not None and _holds_role_over(user, branch, ROSTER_READERS)


@rules.predicate
def edits_roster_of(user, branch):
    return (
        branch is not None
        and branch.unit_type == UnitType.BRANCH
        and _holds_role_over(user, branch, ROSTER_EDITORS)
    )


@rules.predicate
def manages_templates_of(user, owner):
    """A template's owner unit (None: the province) is one where the user is administrator."""
    unit = owner if owner is not None else OrgUnit.objects.get_first_root_node()
    return unit is not None and _holds_role_over(user, unit, (Role.ADMIN,))


@rules.predicate
def holds_any_role(user):
    return getattr(user, "is_superuser", False) or bool(user.role_assignments)


rules.add_perm("ledger.browse_rosters", rules.is_authenticated & reads_rosters)
rules.add_perm("ledger.view_roster", rules.is_authenticated & reads_roster_of)
rules.add_perm("ledger.edit_roster", rules.is_authenticated & edits_roster_of)
rules.add_perm("ledger.view_templates", rules.is_authenticated & holds_any_role)
rules.add_perm("ledger.manage_templates", rules.is_authenticated & manages_templates_of)
