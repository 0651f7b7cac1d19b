"""The compliance pages' areas: a unit's children, each with the summed compliance of the
branches in its subtree (`area_compliance`, the committee page), read from the stored monthly
rollup when there is one (`snapshots.from_snapshot`) or counted live (`compliance`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.functional import cached_property

from branches.models import OrgUnit, UnitType
from common.formats import local_datetime

from ..spans import Span
from .compliance import BranchCompliance, compliance, percent


@dataclass
class AreaRow:
    """A unit below the one viewed (a committee, a general branch or a branch) with the sums
    of the branches in its subtree. The figures are summed once per row (the page reads the
    rate three times, the behind count twice): `branches` is not changed after the row is
    built."""

    unit: OrgUnit
    branches: list[BranchCompliance]

    @cached_property
    def required(self) -> int:
        return sum(b.required for b in self.branches)

    @cached_property
    def held(self) -> int:
        return sum(b.held for b in self.branches)

    @cached_property
    def rate(self) -> Decimal | None:
        return percent(self.held, self.required)

    @cached_property
    def attendance_rate(self) -> Decimal | None:
        return percent(
            sum(b.attendance_present for b in self.branches),
            sum(b.attendance_listed for b in self.branches),
        )

    @cached_property
    def behind(self) -> list[BranchCompliance]:
        """The branches behind the figure "未按期": those with a meeting still missing."""
        return [b for b in self.branches if b.is_behind]

    @property
    def behind_count(self) -> int:
        return len(self.behind)

    @property
    def is_branch(self) -> bool:
        return self.unit.unit_type == UnitType.BRANCH


class AreaRows(list):
    """The rows of an area page, and when their figures were counted: `computed_at` is the
    snapshot's time (None when counted live, now)."""

    computed_at: datetime.datetime | None = None

    @property
    def computed_at_label(self) -> str:
        return local_datetime(self.computed_at) if self.computed_at else ""


#: Children of a unit shown per page of the area page: a city may hold 10,000 branches right
#: below it, and a page that lists them all grows with the province.
AREA_PAGE_SIZE = 50
#: Up to this many children (a page of the area page) are read by id and by their own
#: subtrees; more by the path index range (a city may hold ten thousand right below it).
BY_ID = 200


def area_children(user, unit: OrgUnit):
    """The units right below `unit` that the user sees, in tree order: what the area page
    pages through."""
    return _visible_under(user, unit).filter(depth=unit.depth + 1).order_by("path")


def area_compliance(user, unit: OrgUnit, span: Span, children=None) -> AreaRows:
    """The units right below `unit` that the user sees (`children`: one page of them; default
    all), each with the compliance of the branches in its subtree (inside the user's scope:
    `units_visible_to`).

    Read from the stored monthly rollup (`ComplianceSnapshot`, refreshed nightly) when every
    month of the span has one: the children's rows, summed over the span's months — four
    queries whatever the size of the subtree. Otherwise counted live (six queries, seven when
    谈心谈话 falls due, but proportional work in Python to the branches below)."""
    from .snapshots import from_snapshot

    visible = _visible_under(user, unit)
    if children is None:
        children = list(visible.filter(depth=unit.depth + 1).order_by("path"))
    stored = from_snapshot(unit, children, span)
    if stored is not None:
        return stored
    # the page shows no counts of the span's records (`record_counts=False`)
    live = _rows_by_child(
        visible, children, lambda branches: compliance(branches, span, record_counts=False), AreaRow
    )
    return AreaRows(live)


def _visible_under(user, unit: OrgUnit):
    from branches.selectors import units_visible_to

    return units_visible_to(user).filter(path__startswith=unit.path, is_active=True)


def _visible_children(user, unit: OrgUnit):
    visible = _visible_under(user, unit)
    return visible, list(visible.filter(depth=unit.depth + 1).order_by("path"))


def by_child_unit(user, unit: OrgUnit, figures_of, make_row) -> list:
    """The units right below `unit` that the user sees (inside `units_visible_to`), each as
    `make_row(child, [the figures of each branch in its subtree])`. `figures_of(branches)`
    reads the figures of all the branches at once ({branch pk: figures}). A child with no
    branch in sight is left out, unless it is a branch itself. Two queries plus figures_of's."""
    visible, children = _visible_children(user, unit)
    return _rows_by_child(visible, children, figures_of, make_row)


def _rows_by_child(visible, children, figures_of, make_row) -> list:
    branches = visible.filter(unit_type=UnitType.BRANCH)
    if children and len(children) <= BY_ID:  # a page of children: only their branches
        branches = _branches_of_page(branches, children)
    else:
        branches = list(branches.order_by("path"))
    figures = figures_of(branches)
    # Each branch under its child by the path's prefix of the child's length (one dict look-up
    # per branch and width, not a prefix test per branch and child), in tree order.
    under_prefix = defaultdict(list)
    for width in {len(child.path) for child in children}:
        for b in branches:
            under_prefix[b.path[:width]].append(figures[b.pk])
    rows = []
    for child in children:
        inside = under_prefix.get(child.path, [])
        if inside or child.unit_type == UnitType.BRANCH:
            rows.append(make_row(child, inside))
    return rows


def _branches_of_page(branches, children) -> list[OrgUnit]:
    """The branches (of `branches`, the visible ones) under a page of `children` (visible
    units), in tree order. A child that is a branch is its own only branch — under a branch
    lie only its party groups (`branches.importing.columns.ALLOWED_PARENTS`) — and is already
    read: only the others' subtrees are asked for (most children of a city are branches; the
    ORM built a prefix test per child, ~40 µs each)."""
    own = [child for child in children if child.unit_type == UnitType.BRANCH]
    others = [child for child in children if child.unit_type != UnitType.BRANCH]
    if not others:
        return sorted(own, key=lambda b: b.path)
    under = Q()
    for child in others:
        under |= Q(path__startswith=child.path)
    return sorted([*own, *branches.filter(under)], key=lambda b: b.path)
