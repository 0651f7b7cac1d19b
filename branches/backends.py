"""Authentication backends of the portal (config/settings.py AUTHENTICATION_BACKENDS)."""

import rules
from django.core.exceptions import PermissionDenied


class RulesDecide:
    """A permission declared with `rules` (each app's rules.py) is decided by rules alone.

    Listed after rules' backend and before Django's ModelBackend, it is asked only when rules
    said no, and ends the search there (PermissionDenied): otherwise ModelBackend would read
    the user's and their groups' permission tables (two queries, every request whose first
    denied check it is — the navigation asks a few on every page) for a name no one holds as a
    model permission (tests/branches/test_permission_backends.py keeps the two sets apart).
    Model permissions (add/change/delete/view, granted through groups for the admin site) still
    go to ModelBackend; a superuser is allowed before any backend is asked. It authenticates
    no one and has no `get_user` (logins and sessions stay ModelBackend's)."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm):
            raise PermissionDenied
        return False
