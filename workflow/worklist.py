"""The shapes of a user's work on the dashboard (工作台), shared by every app's worklist
selectors: a thing to do with its deadline (`WorkItem`) and what waits in a review queue
(`QueueCount`). Apps build them from their own data; `branches.worklist` composes them."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    """One thing a branch has to do: what (`title`), for which unit, its state in words,
    where it is done (`url`), by when (`due_on`, a local date; None when there is no date),
    and the reviewer's comment when it came back."""

    title: str
    url: str
    unit: str = ""
    status: str = ""
    due_on: datetime.date | None = None
    comment: str = ""
    #: "returned" items are listed before the rest; then by deadline.
    returned: bool = False

    @property
    def due_text(self) -> str:
        """The deadline as the branch reads it: "12-19" within this year, else with the year."""
        if self.due_on is None:
            return ""
        if self.due_on.year == timezone.localdate().year:
            return f"{self.due_on:%m-%d}"
        return f"{self.due_on:%Y-%m-%d}"

    @property
    def sort_key(self):
        return (not self.returned, self.due_on or datetime.date.max, self.title)


@dataclass(frozen=True)
class QueueCount:
    """What waits at a reviewer's levels: how many, since when, and the queue's page."""

    label: str
    count: int
    url: str
    oldest_at: datetime.datetime | None = None

    @property
    def oldest_days(self) -> int | None:
        """Whole days the longest-waiting item has waited, counted in local dates."""
        if self.oldest_at is None:
            return None
        return (timezone.localdate() - timezone.localdate(self.oldest_at)).days
