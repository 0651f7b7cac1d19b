"""What evaluation's online rules read of a branch's ledger over an assessment period: plain
numbers (`ScoringFigures`), no model instances, counted for many branches at once by the
queries of `compliance.count` and folded here without `compliance()`'s rows.

A province's batch is 100,000 branches: the fold is the Python that scoring them costs beyond
the database, so it builds tuples, and without the meetings' dates (a figure, not a record) the
figures of branches that counted the same are one object (`_Interned`), and so are their
`meetings` — the rules' results can then be shared by the branches that read the same
figures, or the same meetings (`evaluation.online`)."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from branches.models import OrgUnit, UnitType

from ..spans import Span
from .compliance import Counts, count, percent
from .counting import RecordRef


class TemplateFigures(NamedTuple):
    """Plain figures of one template for another app's scoring (no model instances)."""

    kind: str
    name: str
    required: int
    held: int
    #: Local dates of the recorded meetings counted, once each, in order (none for 谈心谈话,
    #: whose figure counts members, not meetings).
    dates: tuple[datetime.date, ...]
    #: The recorded meetings counted, for the pages to link (`RecordRef`, by date).
    records: tuple[RecordRef, ...] = ()


class ScoringFigures(NamedTuple):
    meetings: tuple[TemplateFigures, ...]
    attendance_listed: int
    attendance_present: int
    records_total: int
    records_recorded: int
    #: Every record between `start` and `end`, drafts included (`RecordRef.recorded`).
    records: tuple[RecordRef, ...] = ()
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def attendance_rate(self) -> Decimal | None:
        """Present of listed, in per cent to one decimal (as the compliance pages show it)."""
        return percent(self.attendance_present, self.attendance_listed)


def scoring_figures(
    units,
    start: datetime.date,
    end: datetime.date,
    *,
    with_dates: bool = True,
    within: OrgUnit | None = None,
) -> dict[int, ScoringFigures]:
    """What evaluation's online rules read of each unit's ledger between two local dates (an
    assessment period), by unit id: plain numbers, counted for all the units at once (the
    queries of `compliance()`, whatever their number). A unit that is not a branch keeps no
    ledger. `with_dates`: each template's figures name the dates of the meetings counted.
    `within`: the units are the branches under this unit (`compliance`'s batch form).

    Without dates, branches whose figures are equal get the same `ScoringFigures` object."""
    units = list(units)
    branches = [u for u in units if u.unit_type == UnitType.BRANCH]
    none = ScoringFigures((), 0, 0, 0, 0, (), start, end)
    if not branches:
        return {unit.pk: none for unit in units}
    counts = count(branches, Span(start, end), with_dates=with_dates, within=within, totals=True)
    fold = _WithDates(counts, start, end) if with_dates else _Interned(counts, start, end)
    result = {unit.pk: none for unit in units}
    for branch in branches:
        result[branch.pk] = fold(branch)
    return result


class _Fold:
    """One branch's `ScoringFigures` from a batch's `Counts` (templates per branch: those whose
    owner's path prefixes the branch's, as `compliance.applies_to`)."""

    def __init__(self, counts: Counts, start, end):
        self.counts, self.start, self.end = counts, start, end
        # per template: its owner's path, what multiplies it, due periods × required count
        self.plan = [
            (t, t.key, owner, times, due * t.required_count) for t, owner, times, due in counts.plan
        ]

    def figures(self, branch) -> list[tuple]:
        """(template, required, held) per template that applies to the branch."""
        pk, path = branch.pk, branch.path
        size = self.counts.sizes.get(pk, Counts.EMPTY_SIZE)
        held = self.counts.held
        figures = []
        for t, key, owner, times, due in self.plan:
            if path.startswith(owner):
                required = due * size[times] if times else due
                figures.append((t, required, min(held.get((pk, key), 0), required)))
        return figures

    def totals(self, pk) -> tuple[int, int, int, int]:
        listed, present = self.counts.attendance.get(pk, (0, 0))
        size = self.counts.sizes.get(pk, Counts.EMPTY_SIZE)
        return listed, present, size["records_total"], size["records_recorded"]


class _WithDates(_Fold):
    def __call__(self, branch) -> ScoringFigures:
        counted, pk = self.counts.counted, branch.pk
        meetings = []
        for t, required, held in self.figures(branch):
            records = tuple(counted.get((pk, t.key), ()))
            dates = () if t.per_member else tuple(sorted({r.date for r in records}))
            meetings.append(TemplateFigures(t.kind, t.name, required, held, dates, records))
        return ScoringFigures(
            tuple(meetings),
            *self.totals(pk),
            tuple(self.counts.in_span.get(pk, ())),
            self.start,
            self.end,
        )


class _Interned(_Fold):
    """Without dates the figures are a few counts: equal ones are built once, and shared —
    the whole figures, and the meetings' part of them on its own (branches that held the same
    meetings but counted other attendance still share their `meetings` tuple)."""

    def __init__(self, counts, start, end):
        super().__init__(counts, start, end)
        self.seen: dict[tuple, ScoringFigures] = {}
        self.meetings: dict[tuple, tuple[TemplateFigures, ...]] = {}

    def __call__(self, branch) -> ScoringFigures:
        counted = self.figures(branch)
        which = tuple((id(t), required, held) for t, required, held in counted)
        key = (which, *self.totals(branch.pk))
        figures = self.seen.get(key)
        if figures is None:
            meetings = self.meetings.get(which)
            if meetings is None:
                meetings = self.meetings[which] = tuple(
                    TemplateFigures(t.kind, t.name, required, held, ())
                    for t, required, held in counted
                )
            figures = self.seen[key] = ScoringFigures(meetings, *key[1:], (), self.start, self.end)
        return figures


def for_scoring(unit: OrgUnit, start: datetime.date, end: datetime.date) -> ScoringFigures:
    """One unit's `scoring_figures`, with the dates of the meetings counted."""
    return scoring_figures([unit], start, end)[unit.pk]
