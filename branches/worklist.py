"""The dashboard (工作台) of a user's work, composed from each app's worklist selectors: a
branch secretary's items due, a reviewer's queues, the programme's progress for the province
and administrators. A user with several roles gets each section that applies; the sections
a user has no role for are None, and cost no query.

Apps are read only through their selectors (`*.selectors.worklist`); this module decides
which sections a user sees, with `branches.access`, and nothing else."""

from dataclasses import dataclass, field

from brands.selectors import worklist as brands
from evaluation.selectors import worklist as evaluation
from flagship.selectors import worklist as flagship
from groups.selectors import worklist as groups
from ledger.selectors import worklist as ledger
from rectification.selectors import worklist as rectification
from workflow.worklist import QueueCount, WorkItem

from . import access, selectors
from .models import Role, UnitType


@dataclass
class Programme:
    """The province's and administrators' view: coverage against the year's target, the
    open assessment periods, the flagship cycle's phase, and the org counts."""

    coverage: object  # brands.selectors.coverage.Coverage
    periods: list  # evaluation.selectors.worklist.PeriodProgress
    cycle: object  # flagship.selectors.worklist.CycleStatus | None
    unit_counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Dashboard:
    items: list[WorkItem] | None = None  # a secretary's work; None: not a secretary
    queues: list[QueueCount] | None = None  # a reviewer's queues; None: not a reviewer
    programme: Programme | None = None
    #: a party group leader's desk per group they lead; None: leads no group
    desks: list | None = None


def is_secretary(user) -> bool:
    return bool(access.assignments(user, Role.SECRETARY))


def sees_programme(user) -> bool:
    """The province's reviewers and the administrators follow the whole programme."""
    return selectors.is_administrator(user) or selectors.has_role(user, Role.PROVINCE_REVIEWER)


def secretary_items(user) -> list[WorkItem]:
    """Everything due for the secretary's units, returned items first, then by deadline.
    The secretary's own brands are read once, for brands' items and flagship's eligibility."""
    own = brands.own_applications(user)
    items = [
        *evaluation.secretary_items(user),
        *brands.secretary_items(user, own),
        *flagship.secretary_items(user, built_unit_ids=own.built_unit_ids),
        *ledger.secretary_items(user),
        *rectification.secretary_items(user),
    ]
    return sorted(items, key=lambda i: i.sort_key)


def reviewer_queues(user) -> list[QueueCount]:
    return [
        *brands.reviewer_queues(user),  # brand reshapings only while some wait
        evaluation.reviewer_queue(user),
        rectification.reviewer_queue(user),
        *flagship.reviewer_queues(user),
        *groups.reviewer_queues(user),  # 品牌党小组 proposals only while some wait
    ]


def programme(user) -> Programme:
    counts = selectors.counts_by_type(user)
    return Programme(
        coverage=brands.coverage_summary(user),
        periods=evaluation.open_periods(user),
        cycle=flagship.cycle_status(),
        unit_counts=[(label, counts.get(value, 0)) for value, label in UnitType.choices],
    )


def dashboard_for(user) -> Dashboard:
    """A group leader holds no role: whether the user leads a group is one query for all."""
    return Dashboard(
        items=secretary_items(user) if is_secretary(user) else None,
        queues=reviewer_queues(user) if access.is_reviewer(user) else None,
        programme=programme(user) if sees_programme(user) else None,
        desks=groups.leader_desks(user) or None,
    )
