"""Who holds which role where: the access predicates every app's `rules.py` is built from.

A role is held *at* a unit (`RoleAssignment`) and reaches that unit's subtree. Apps decide
*when* something may happen (an application's status, a window, a phase); this module decides
*who*, once for all apps:

* `secretary_covers(user, unit)`: a secretary (or party-affairs worker) whose role sits at the
  unit or above it. They file, fill and submit for the unit.
* `reviews_at_level(user, level)`: a reviewer holding a role *at* the approval level whose turn
  it is (brand applications, flagship candidacies). `reviewers_at(level)` is the same people
  seen from the level, the ones told that something waits for them. Changing who approves is
  an edit of `REVIEWER_ROLES` or of these two functions, nothing else.
* `reviewer_covers(user, unit)`: a reviewer whose subtree holds the unit, strictly below their
  own unit (evaluation: adjusting, accepting, returning an assessment).

Functions that take a user read `user.role_assignments` (loaded once per request) and cost no
query; anonymous users hold nothing. Data scope ("which units does this user see") is not here:
it is `branches.selectors.units_visible_to`.
"""

from .models import OrgUnit, Role, RoleAssignment, UnitType, User

#: The roles that decide at an approval level and review within a subtree.
REVIEWER_ROLES = (Role.REVIEWER, Role.PROVINCE_REVIEWER)
#: Roles that read aggregates across their committee's subtree (rankings, exports, bulletins).
INSIGHT_ROLES = (*REVIEWER_ROLES, Role.FLAGSHIP_COMMITTEE, Role.ADMIN)
#: Where a REVIEWER's role makes them review the assessments of the subtree below (a reviewer
#: role elsewhere, e.g. at a branch, reviews none); PROVINCE_REVIEWER reviews wherever held.
SUBTREE_REVIEWING_TYPES = (UnitType.GENERAL_BRANCH, UnitType.CITY, UnitType.DIRECT)


def assignments(user, *roles: str) -> list[RoleAssignment]:
    """The user's role assignments among `roles`, with their units; [] for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [ra for ra in user.role_assignments if ra.role in roles]


def unit_ids_with_role(user, *roles: str) -> set[int]:
    """Ids of the units where the user holds any of `roles` (the units themselves, not their
    subtrees)."""
    return {ra.unit_id for ra in assignments(user, *roles)}


def _under(unit: OrgUnit, ancestor: OrgUnit) -> bool:
    """`unit` is `ancestor` or lies in its subtree (materialized path prefix)."""
    return unit.path.startswith(ancestor.path)


def holds_role_over(user, unit: OrgUnit | None, *roles: str) -> bool:
    """One of `roles` is held at `unit` or one of its ancestors (the role reaches the unit)."""
    return unit is not None and any(_under(unit, ra.unit) for ra in assignments(user, *roles))


# --- secretaries ---------------------------------------------------------------------------


def secretary_covers(user, unit: OrgUnit | None) -> bool:
    """A secretary (or party-affairs worker) whose role sits at `unit` or one of its
    ancestors: the secretary of branch A1 covers A1 and its party groups, never a sibling."""
    return holds_role_over(user, unit, Role.SECRETARY)


def secretaries_at(unit) -> list[User]:
    """Secretaries holding the role at the unit itself (those responsible for acting there)."""
    return users_with_role_at(unit, Role.SECRETARY)


# --- approval levels (brand applications, flagship candidacies) ----------------------------


def review_levels(user) -> set[int]:
    """Ids of the approval levels where this user decides: the units of their reviewer
    roles. A review queue is what waits at these levels."""
    return unit_ids_with_role(user, *REVIEWER_ROLES)


def reviews_at_level(user, level) -> bool:
    """The user holds a reviewer role *at* `level` (a unit or its id), the approval level whose
    turn it is. Nothing is inherited: the city's reviewer does not decide at a general branch
    below it, nor the general branch's at the city. The caller checks that the object is in
    review at all."""
    level_id = getattr(level, "pk", level)
    return level_id is not None and level_id in review_levels(user)


def reviewers_at(level) -> list[User]:
    """The users who decide at `level` (a unit or its id): those `reviews_at_level` admits."""
    return users_with_role_at(level, *REVIEWER_ROLES)


# --- reviewing a subtree (evaluation) ------------------------------------------------------


def reviewing_subtrees(user) -> list[OrgUnit]:
    """The units whose subtrees this user reviews: any unit of a PROVINCE_REVIEWER role, and
    the general branches and committees of a REVIEWER role."""
    return [
        ra.unit
        for ra in assignments(user, *REVIEWER_ROLES)
        if ra.role == Role.PROVINCE_REVIEWER or ra.unit.unit_type in SUBTREE_REVIEWING_TYPES
    ]


def reviewer_covers(user, unit: OrgUnit | None) -> bool:
    """The unit lies strictly below one of the user's `reviewing_subtrees` (a reviewer never
    reviews the unit they hold the role at)."""
    return unit is not None and any(
        _under(unit, reviewing) and unit.pk != reviewing.pk
        for reviewing in reviewing_subtrees(user)
    )


def is_reviewer(user) -> bool:
    """Holds a reviewer role anywhere (has a review queue)."""
    return bool(assignments(user, *REVIEWER_ROLES))


# --- who is at a unit ----------------------------------------------------------------------


def users_with_role_at(unit, *roles: str) -> list[User]:
    """The users holding any of `roles` at `unit` (a unit or its id) itself, not above it.
    One query; [] without a unit."""
    if unit is None:
        return []
    holders = RoleAssignment.objects.filter(unit=unit, role__in=roles).select_related("user")
    return [ra.user for ra in holders]


def secretaries_at_units(units) -> list[User]:
    """The users holding the SECRETARY role at any of `units` (ids, or a query of ids) itself,
    each once. One query."""
    holders = RoleAssignment.objects.filter(role=Role.SECRETARY, unit_id__in=units)
    return list({ra.user_id: ra.user for ra in holders.select_related("user")}.values())


def role_holders(role: str) -> list[User]:
    """The active users holding `role` anywhere, earliest granted first, each once. One query."""
    seen, users = set(), []
    holders = (
        RoleAssignment.objects.filter(role=role, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    for ra in holders:
        if ra.user_id not in seen:
            seen.add(ra.user_id)
            users.append(ra.user)
    return users


def administrators() -> list[User]:
    """Who runs the portal: the active holders of 系统管理员 and the superusers, each once
    (told when a scheduled job fails, workflow.scheduled). Two queries."""
    users = {u.pk: u for u in role_holders(Role.ADMIN)}
    for user in User.objects.filter(is_superuser=True, is_active=True):
        users.setdefault(user.pk, user)
    return list(users.values())


def holds_role_anywhere(user, role: str) -> bool:
    """Whether `user` — any user, not the one of the request (whose `role_assignments` are
    loaded) — holds `role` at some unit. One query."""
    return RoleAssignment.objects.filter(user=user, role=role).exists()
