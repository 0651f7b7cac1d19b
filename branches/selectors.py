"""Reads of the org tree. `units_visible_to` is the single source of data scope: every list of
unit-owned objects starts from it (or from `scope_filter` for objects that carry a unit)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from . import access
from .cache import cached_for_scope
from .models import (
    CITY_COMMITTEE_TYPES,
    COMMITTEE_TYPES,
    OrgUnit,
    Role,
    RoleAssignment,
    UnitType,
    User,
)

ALL = ""  # the empty path prefix: the whole tree
# Province → 市分公司党委 / 省公司直属党委: the units at this depth are the committees, and the
# prefix of this length of a unit's path names the committee whose subtree it lies in.
COMMITTEE_DEPTH = 2
COMMITTEE_PATH_LEN = COMMITTEE_DEPTH * OrgUnit.steplen


def scope_paths(user) -> list[str]:
    """Path prefixes of the subtrees this user may see: the units where they hold any role.
    A prefix already covered by a shorter one is dropped. Cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_scope_paths", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        paths = [ALL]
    else:
        paths = []
        for path in sorted({ra.unit.path for ra in user.role_assignments}):
            if not any(path.startswith(p) for p in paths):
                paths.append(path)
    user._scope_paths = paths
    return paths


def _path_q(paths, field="path") -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def scope_filter(queryset: QuerySet, user, unit_field="unit", committee_field=None) -> QuerySet:
    """Restrict any queryset of objects that carry a unit to the user's scope.

    Objects that also carry their unit's committee (`committee_field`, see `committee_ids`)
    are filtered on it: an equality on their own table, so an index on (…, committee, order)
    yields a committee's rows in order without a join with the tree. Deeper subtrees add the
    path condition within their committee."""
    paths = scope_paths(user)
    if ALL in paths:
        return queryset
    if not paths:
        return queryset.none()
    path_field = f"{unit_field}__path" if unit_field else "path"
    if committee_field is None:
        return queryset.filter(_path_q(paths, field=path_field))
    own = {ra.unit.path: ra.unit.pk for ra in user.role_assignments}
    condition = Q(pk__in=[])
    for p in paths:
        if len(p) < COMMITTEE_PATH_LEN:
            condition |= Q(**{f"{path_field}__startswith": p})
            continue
        committee = own[p] if len(p) == COMMITTEE_PATH_LEN else _committee_at(p)
        part = Q(**{f"{committee_field}_id": committee})
        if len(p) > COMMITTEE_PATH_LEN:
            part &= Q(**{f"{path_field}__startswith": p})
        condition |= part
    return queryset.filter(condition)


def _committee_at(path: str):
    """The id of the committee above `path`, as a subquery the database runs once."""
    return Subquery(OrgUnit.objects.filter(path=path[:COMMITTEE_PATH_LEN]).values("pk")[:1])


def committee_key(path_field: str):
    """The committee (city / directly-affiliated) path prefix of a unit path column, for
    grouping rows per committee in the database."""
    return Substr(path_field, 1, COMMITTEE_PATH_LEN)


def committee_name(path_field: str):
    """A correlated subquery naming the committee above a unit path column (one join per row,
    no extra query)."""
    return Subquery(
        OrgUnit.objects.filter(path=committee_key(OuterRef(path_field))).values("name")[:1]
    )


def committee_ids(units) -> dict[int, int | None]:
    """Each unit's committee: its ancestor at COMMITTEE_DEPTH (itself at that depth; None
    above it). Apps copy it onto rows they list by scope (`scope_filter(committee_field=…)`)
    and keep it current when units move (`signals.subtree_moved`). One query."""
    units = list(units)
    wanted = {u.path[:COMMITTEE_PATH_LEN] for u in units if len(u.path) >= COMMITTEE_PATH_LEN}
    by_path = dict(OrgUnit.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {u.pk: by_path.get(u.path[:COMMITTEE_PATH_LEN]) for u in units}


def secretary_scope(queryset: QuerySet, user, unit_field="unit") -> QuerySet:
    """Restrict a queryset of objects that carry a unit to the units this user files for as
    a secretary: the subtrees of their SECRETARY roles (what `access.secretary_covers` admits,
    as one query condition). Nothing for a user who is nobody's secretary."""
    paths = [ra.unit.path for ra in access.assignments(user, Role.SECRETARY)]
    if not paths:
        return queryset.none()
    path_field = f"{unit_field}__path" if unit_field else "path"
    return queryset.filter(_path_q(paths, field=path_field))


def units_visible_to(user) -> QuerySet[OrgUnit]:
    """Every unit in the subtrees of the units where the user holds a role."""
    return scope_filter(OrgUnit.objects.all(), user, unit_field="")


def committees_visible_to(user) -> QuerySet[OrgUnit]:
    """The city and directly-affiliated committees (市/直属党委) in the user's subtrees: the
    choices of a list's 市/直属党委 filter (`common.forms.CommitteeFilterForm`)."""
    return units_visible_to(user).filter(unit_type__in=CITY_COMMITTEE_TYPES)


def in_scope(user, unit: OrgUnit) -> bool:
    return unit is not None and any(unit.path.startswith(p) for p in scope_paths(user))


def has_role(user, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(ra.role in roles for ra in user.role_assignments)


def is_administrator(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.ADMIN)


def search_units(user, *, q="", unit_type="", category="", region=None) -> QuerySet[OrgUnit]:
    """The org-tree list: the user's visible units, filtered, in tree order."""
    units = units_visible_to(user).select_related("region", "secretary")
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__iexact=q))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if category:
        units = units.filter(category=category)
    if region:
        units = units.filter(region_id=region)
    return units.order_by("path")


def children_of(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """In tree order, which is the order units were placed in: a page of a committee's 10,000
    branches is then read off the path index instead of sorting them all."""
    return OrgUnit.objects.get_children(unit).select_related("region", "secretary").order_by("path")


def roles_at(unit: OrgUnit) -> QuerySet[RoleAssignment]:
    return unit.role_assignments.select_related("user").order_by("role", "user__username")


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """Root first; one query on the path prefixes."""
    return list(OrgUnit.objects.get_ancestors(unit))


def approval_chain(unit: OrgUnit) -> list[OrgUnit]:
    """The reviewing levels above a unit, nearest first: general branch (if any) → city or
    directly-affiliated committee → province. Derived from the tree, never typed in; cached
    per unit until the tree changes (every submission, approval and permission check of an
    application reads it)."""
    reviewing = {UnitType.GENERAL_BRANCH, *COMMITTEE_TYPES}

    def compute():
        return [a for a in reversed(ancestors_of(unit)) if a.unit_type in reviewing]

    return cached_for_scope("approval_chain", [unit.path], compute)


def counts_by_type(user) -> dict[str, int]:
    """How many active units of each type the user sees: one aggregate query, cached per
    scope until the tree changes."""

    def compute():
        rows = (
            units_visible_to(user)
            .filter(is_active=True)
            .values("unit_type")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {r["unit_type"]: r["n"] for r in rows}

    return cached_for_scope("counts_by_type", scope_paths(user), compute)


def subtree_size(user) -> int:
    """All units the user sees (active or not), cached like counts_by_type: the unfiltered
    org list needs it for its page count."""
    return cached_for_scope(
        "subtree_size", scope_paths(user), lambda: units_visible_to(user).count()
    )


def accounts_visible_to(admin, *, q="") -> QuerySet[User]:
    """The accounts page: the users holding a role at a unit in the subtree of one of the
    administrator's ADMIN roles (every user for a superuser), by username, with their roles
    and units prefetched (`user.role_assignments` then costs no query). Whether each may be
    managed is `branches.services.accounts.refusal`: a user who also holds a role elsewhere is
    listed but not manageable."""
    if getattr(admin, "is_superuser", False):
        users = User.objects.all()
    else:
        paths = [ra.unit.path for ra in access.assignments(admin, Role.ADMIN)]
        if not paths:
            return User.objects.none()
        in_subtree = RoleAssignment.objects.filter(
            _path_q(paths, field="unit__path"), user=OuterRef("pk")
        )
        users = User.objects.filter(Exists(in_subtree))
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    roles = RoleAssignment.objects.select_related("unit").order_by("unit__path", "role")
    return users.prefetch_related(
        Prefetch("roles", queryset=roles, to_attr="role_assignments")
    ).order_by("username")
