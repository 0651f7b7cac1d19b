"""The dashboard (工作台) of a user's work, composed from each app's worklist selectors: a
branch secretary's items due and a reviewer's queues. A user with several roles gets each
section that applies; the sections a user has no role for are None, and cost no query.

Apps are read only through their selectors (`*.selectors.worklist`); this module decides
which sections a user sees, with `branches.access`, and nothing else."""

from dataclasses import dataclass

from brands.selectors import worklist as brands
from evaluation.selectors import worklist as evaluation
from flagship.selectors import worklist as flagship
from workflow.worklist import QueueCount, WorkItem

from . import access
from .models import Role


@dataclass
class Dashboard:
    items: list[WorkItem] | None = None  # a secretary's work; None: not a secretary
    queues: list[QueueCount] | None = None  # a reviewer's queues; None: not a reviewer

    @property
    def is_empty(self) -> bool:
        return self.items is None and self.queues is None


def is_secretary(user) -> bool:
    return bool(access.assignments(user, Role.SECRETARY))


def secretary_items(user) -> list[WorkItem]:
    """Everything due for the secretary's units, returned items first, then by deadline."""
    items = [
        *evaluation.secretary_items(user),
        *brands.secretary_items(user),
        *flagship.secretary_items(user),
    ]
    return sorted(items, key=lambda i: i.sort_key)


def reviewer_queues(user) -> list[QueueCount]:
    return [
        brands.reviewer_queue(user),
        evaluation.reviewer_queue(user),
        *flagship.reviewer_queues(user),
    ]


def dashboard_for(user) -> Dashboard:
    return Dashboard(
        items=secretary_items(user) if is_secretary(user) else None,
        queues=reviewer_queues(user) if access.is_reviewer(user) else None,
    )
