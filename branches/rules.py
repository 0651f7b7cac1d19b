"""Who may do what in the org tree. Every permission of this app is declared here."""

import rules

from . import selectors
from .services import accounts


@rules.predicate
def unit_in_scope(user, unit):
    return selectors.in_scope(user, unit)


@rules.predicate
def holds_any_role(user):
    return bool(selectors.scope_paths(user))


@rules.predicate
def is_administrator(user):
    return selectors.is_administrator(user)


rules.add_perm("branches.browse_units", rules.is_authenticated & holds_any_role)
rules.add_perm("branches.view_unit", rules.is_authenticated & unit_in_scope)
rules.add_perm("branches.import_units", rules.is_authenticated & is_administrator)


@rules.predicate
def manages_account(user, target):
    return target is not None and accounts.can_manage(user, target)


rules.add_perm("branches.manage_accounts", rules.is_authenticated & is_administrator)
rules.add_perm("branches.manage_account", rules.is_authenticated & manages_account)
