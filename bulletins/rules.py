"""Who may do what with bulletins. Every permission of this app is declared here.

* Reading (list, progress, download): holders of a reviewing, flagship-committee or
  administrator role *at a committee* (province, city, directly-affiliated) read the bulletins
  of that committee's subtree — a city its own, the province all. Secretaries, general
  branches and members read none (the smallest bulletin covers a whole committee).
* Generating now: administrators, for the scopes in their subtree.
"""

import rules

from . import selectors


def _within(paths, unit) -> bool:
    return unit is not None and any(unit.path.startswith(p) for p in paths)


@rules.predicate
def reads_bulletins(user):
    return bool(selectors.reading_paths(user))


@rules.predicate
def reads_bulletin(user, bulletin):
    return bulletin is not None and _within(selectors.reading_paths(user), bulletin.scope)


@rules.predicate
def generates_bulletins(user):
    return bool(selectors.generating_paths(user))


@rules.predicate
def generates_for_scope(user, scope):
    return _within(selectors.generating_paths(user), scope)


rules.add_perm("bulletins.browse_bulletins", rules.is_authenticated & reads_bulletins)
# Not "view_bulletin": that name is Django's model permission, which the admin asks without
# an object.
rules.add_perm("bulletins.read_bulletin", rules.is_authenticated & reads_bulletin)
rules.add_perm("bulletins.generate_bulletins", rules.is_authenticated & generates_bulletins)
rules.add_perm("bulletins.generate_bulletin", rules.is_authenticated & generates_for_scope)
