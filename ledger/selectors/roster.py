"""Reads of the ledger. Every list of personal data starts from the reader's scope
(`branches.selectors.scope_filter` / `units_visible_to`); the views check the role on top
(`ledger.rules`)."""

from django.db.models import Count, Q, QuerySet

from branches.models import OrgUnit, UnitType
from branches.selectors import scope_filter, units_visible_to

from ..models import MeetingTemplate, Member, PartyGroup


def branches_with_rosters(user, *, q: str = "") -> QuerySet[OrgUnit]:
    """The branches whose roster the user may open, in tree order, with active member counts."""
    units = units_visible_to(user).filter(unit_type=UnitType.BRANCH, is_active=True)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return units.annotate(
        active_members=Count("ledger_members", filter=Q(ledger_members__is_active=True))
    ).order_by("path")


def roster(
    user, branch: OrgUnit, *, group=None, status: str = "", q: str = "", inactive: bool = False
) -> QuerySet[Member]:
    """One branch's members as the user may see them: filtered by group (a PartyGroup, or
    "none" for members without a group), status and a name search; one query per page."""
    members = scope_filter(Member.objects.filter(branch=branch), user, unit_field="branch")
    members = members.filter(is_active=not inactive).select_related("party_group")
    if group == "none":
        members = members.filter(party_group__isnull=True)
    elif group is not None:
        members = members.filter(party_group=group)
    if status:
        members = members.filter(status=status)
    if q:
        members = members.filter(name__icontains=q)
    return members.order_by("name", "pk")


#: What a row of the roster page shows (the rest of a member stays in the database).
LISTED_FIELDS = ("name", "gender", "status", "joined_on", "post", "phone", "party_group__name")


def roster_listed(user, branch: OrgUnit, **filters) -> QuerySet[Member]:
    """`roster` with only what the roster page shows of each member. Same rows, same order."""
    return roster(user, branch, **filters).only(*LISTED_FIELDS)


def groups_of(branch: OrgUnit, *, active_only=True) -> QuerySet[PartyGroup]:
    """The branch's party groups with their leader and active member count: one query."""
    groups = PartyGroup.objects.filter(branch=branch)
    if active_only:
        groups = groups.filter(is_active=True)
    return (
        groups.select_related("leader")
        .annotate(active_members=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def member_for_page(pk) -> Member:
    """A member with what their page shows (raises DoesNotExist)."""
    return Member.objects.select_related("branch", "party_group", "user").get(pk=pk)


def _ancestor_paths(user) -> set[str]:
    """The paths above (and at) each unit where the user holds a role: string slices of the
    materialized path, no query."""
    step = OrgUnit.steplen
    return {
        ra.unit.path[:end]
        for ra in user.role_assignments
        for end in range(step, len(ra.unit.path) + 1, step)
    }


def templates_visible_to(user) -> QuerySet[MeetingTemplate]:
    """Current templates the user works under or oversees: the province's (no owner), those
    of the committees above the user's units, and those of units in the user's subtree."""
    current = MeetingTemplate.objects.filter(is_current=True).select_related("owner")
    in_subtree = scope_filter(current, user, unit_field="owner").values("pk")
    return current.filter(
        Q(owner__isnull=True) | Q(owner__path__in=_ancestor_paths(user)) | Q(pk__in=in_subtree)
    ).order_by("owner__path", "kind", "name")


def members_filed_for_by(user, branch: OrgUnit) -> QuerySet[Member]:
    """The branch's active members a user may file for (e.g. a 五个一 item): all of them for
    the roster's keepers, else the user's own entry and the members of the groups they lead."""
    members = Member.objects.filter(branch=branch, is_active=True).select_related("party_group")
    if not user.has_perm("ledger.edit_roster", branch):
        members = members.filter(
            Q(user=user) | Q(party_group__leader__user=user, party_group__is_active=True)
        )
    return members.order_by("name", "pk")


def groups_led_by(user) -> QuerySet[PartyGroup]:
    """The active groups whose active leader is the member linked to `user`, with their
    branch: one query (what `rules.leads_group` asks of one group, for all of them)."""
    return (
        PartyGroup.objects.filter(leader__user=user, leader__is_active=True, is_active=True)
        .select_related("branch")
        .order_by("name", "pk")
    )


def group_for_page(pk) -> PartyGroup:
    """A party group with its branch and leader (raises DoesNotExist)."""
    return PartyGroup.objects.select_related("branch", "leader").get(pk=pk)


def group_member_names(group: PartyGroup) -> list[str]:
    """The names of the group's active members, for the group's own page (names only)."""
    members = group.members.filter(is_active=True).order_by("name", "pk")
    return list(members.values_list("name", flat=True))


def group_member_users(group: PartyGroup) -> list:
    """The portal accounts linked to the group's active members (one query): whom the groups
    app tells when the group's results are published."""
    members = group.members.filter(is_active=True, user__isnull=False).select_related("user")
    return [m.user for m in members]


def active_member_counts(unit_ids, *, within=None) -> dict[int, int]:
    """{branch id: members on its roster today} for these branches (one aggregate query;
    `within`: the branches are those under this unit, one path prefix instead of an IN list).
    What the groups app's member-assessment figures divide by."""
    members = Member.objects.filter(is_active=True)
    if within is not None:
        members = members.filter(branch__path__startswith=within.path)
    else:
        members = members.filter(branch_id__in=list(unit_ids))
    rows = members.values("branch_id").annotate(n=Count("pk")).order_by()
    return {r["branch_id"]: r["n"] for r in rows}
