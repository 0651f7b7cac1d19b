"""Who reads and who generates which bulletins, and the scoped list of bulletins."""

from datetime import date

from django.db.models import Q, QuerySet

from branches.access import INSIGHT_ROLES
from branches.models import COMMITTEE_TYPES, OrgUnit, Role
from branches.selectors import ALL

from ..models import Bulletin

#: Roles whose holders read the bulletins of their committee's subtree (the reviewers' insight,
#: as for rankings in evaluation): only when held at a committee (province, city, direct).
READER_ROLES = INSIGHT_ROLES


def reading_paths(user) -> list[str]:
    """Path prefixes under which `user` may read bulletins: the committees (province, city,
    direct) where they hold a reader role. A general branch's or a branch's role reads none:
    the smallest bulletin covers a whole committee."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return [ALL]
    return sorted(
        {
            ra.unit.path
            for ra in user.role_assignments
            if ra.role in READER_ROLES and ra.unit.unit_type in COMMITTEE_TYPES
        }
    )


def generating_paths(user) -> list[str]:
    """Path prefixes under which `user` may generate bulletins: administrators' units."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return [ALL]
    return sorted(
        {
            ra.unit.path
            for ra in user.role_assignments
            if ra.role == Role.ADMIN and ra.unit.unit_type in COMMITTEE_TYPES
        }
    )


def _under(paths, field) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def bulletins_visible_to(user, *, month: date | None = None, scope=None) -> QuerySet[Bulletin]:
    paths = reading_paths(user)
    qs = Bulletin.objects.select_related("scope", "generated_by")
    qs = qs if ALL in paths else qs.filter(_under(paths, "scope__path"))
    if month is not None:
        qs = qs.filter(month=month)
    if scope is not None:
        qs = qs.filter(scope=scope)
    return qs.order_by("-month", "scope__path")


def bulletin_scopes() -> QuerySet[OrgUnit]:
    """Every unit a bulletin is made for: the province and its committees, in tree order."""
    return OrgUnit.objects.filter(unit_type__in=COMMITTEE_TYPES, is_active=True).order_by("path")


def scopes_readable_by(user) -> QuerySet[OrgUnit]:
    paths = reading_paths(user)
    qs = bulletin_scopes()
    return qs if ALL in paths else qs.filter(_under(paths, "path"))


def scopes_generatable_by(user) -> QuerySet[OrgUnit]:
    paths = generating_paths(user)
    qs = bulletin_scopes()
    return qs if ALL in paths else qs.filter(_under(paths, "path"))
