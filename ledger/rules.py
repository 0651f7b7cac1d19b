"""Who may do what with the branch's records. Every permission of this app is declared here.

Personal data (the roster) is read by the roles that work with a branch — its secretary, the
reviewers of the committees and general branches above it, administrators — and only inside
the subtree where they hold that role (`branches.selectors.in_scope`). A role that has nothing
to do with members (the flagship committee) reads no roster, even at the province. Only the
branch's secretary and administrators change the roster; reviewers read.

Ledger records (台账) are read by the same roles, and kept by the branch's secretary for the
branch; a party group's leader (党小组长: the `Member` whose portal account is the user, leading
an active group) keeps their own group's meetings and reads them. Administrators read records
but do not keep a branch's ledger."""

import rules

from branches.access import holds_role_over, secretary_covers
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


def member_of(user):
    """The roster entry linked to the user's account, if any (Django caches it on the user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from .models import Member

    try:
        member = user.ledger_member
    except Member.DoesNotExist:
        return None
    return member if member.is_active else None


def leads_group(user, group) -> bool:
    """The user is the active leader of this active party group."""
    member = member_of(user) if group is not None else None
    return member is not None and group.is_active and group.leader_id == member.pk


def led_group_ids(user, branch) -> set[int]:
    """Ids of the branch's groups the user leads (one query, none without a linked member)."""
    member = member_of(user)
    if member is None or branch is None or member.branch_id != branch.pk:
        return set()
    led = branch.ledger_groups.filter(leader=member, is_active=True)
    return set(led.values_list("pk", flat=True))


def keeps_ledger_of(user, branch) -> bool:
    """The branch's secretary (a secretary role reaching it) keeps its whole ledger."""
    return (
        branch is not None
        and branch.unit_type == UnitType.BRANCH
        and (getattr(user, "is_superuser", False) or secretary_covers(user, branch))
    )


def may_record(user, branch, group) -> bool:
    """May keep a record for `branch`, for `group` when it is a party group's meeting."""
    if keeps_ledger_of(user, branch):
        return True
    return group is not None and group.branch_id == branch.pk and leads_group(user, group)


@rules.predicate
def reads_records_of(user, branch):
    return reads_roster_of(user, branch) or bool(led_group_ids(user, branch))


@rules.predicate
def adds_records_to(user, branch):
    return keeps_ledger_of(user, branch) or bool(led_group_ids(user, branch))


@rules.predicate
def reads_record(user, record):
    return reads_roster_of(user, record.branch) or leads_group(user, record.party_group)


@rules.predicate
def edits_record(user, record):
    return may_record(user, record.branch, record.party_group)


@rules.predicate
def keeps_work_list_of(user, branch):
    """The annual work list is the branch's secretary's, like its ledger."""
    return keeps_ledger_of(user, branch)


@rules.predicate
def holds_any_role(user):
    return getattr(user, "is_superuser", False) or bool(user.role_assignments)


rules.add_perm("ledger.browse_rosters", rules.is_authenticated & reads_rosters)
rules.add_perm("ledger.view_roster", rules.is_authenticated & reads_roster_of)
rules.add_perm("ledger.edit_roster", rules.is_authenticated & edits_roster_of)
rules.add_perm("ledger.view_records", rules.is_authenticated & reads_records_of)
rules.add_perm("ledger.add_record", rules.is_authenticated & adds_records_to)
rules.add_perm("ledger.view_record", rules.is_authenticated & reads_record)
rules.add_perm("ledger.edit_record", rules.is_authenticated & edits_record)
# Compliance (按期开展情况) is read by the roster's readers, for a branch or a unit above it.
rules.add_perm("ledger.view_compliance", rules.is_authenticated & reads_roster_of)
rules.add_perm("ledger.view_templates", rules.is_authenticated & holds_any_role)
rules.add_perm("ledger.manage_templates", rules.is_authenticated & manages_templates_of)
# The annual work list (清单化管理): read by the roster's readers, kept by the branch's secretary.
rules.add_perm("ledger.view_work_list", rules.is_authenticated & reads_roster_of)
rules.add_perm("ledger.manage_work_list", rules.is_authenticated & keeps_work_list_of)
