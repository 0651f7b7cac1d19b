"""The ledger section: how many meetings each committee's branches held of those that fell due
in the month (按期开展情况) and how well members attended — read from
`ledger.selectors.compliance` (its rule, its counts; nothing recounted here)."""

from dataclasses import dataclass
from datetime import date

from branches.models import OrgUnit
from branches.selectors import COMMITTEE_PATH_LEN
from ledger.selectors import compliance
from ledger.spans import Span

from .common import CountsRow, committee_rows, sum_rows, total_label

LEDGER_KEYS = ["branches", "required", "held", "behind", "present", "listed"]


@dataclass
class LedgerSection:
    span: Span
    rows: list[CountsRow]  # per committee: LEDGER_KEYS plus `rate`, `attendance_rate`
    totals: CountsRow


def _rates(row: CountsRow) -> None:
    row.values["rate"] = compliance.percent(row["held"], row["required"])
    row.values["attendance_rate"] = compliance.percent(row["present"], row["listed"])


def ledger_section(scope: OrgUnit, month: date) -> LedgerSection:
    """Per committee of the scope: active branches, meetings due in the month and held
    (each branch's held capped at what was due, as compliance counts), branches with a meeting
    still missing, attendance. `compliance` is a fixed number of queries for all branches; the
    committees' sums are folded here. The branches are today's (their committee too): the
    ledger's records belong to a branch, not to an event with a committee of its own."""
    span = Span.month(month)
    branches = list(compliance.branches_in(scope).only("pk", "path", "unit_type"))
    figures = compliance.compliance(branches, span)
    groups: dict[str, dict] = {}
    for branch in branches:
        key = branch.path[:COMMITTEE_PATH_LEN]
        g = groups.setdefault(key, {"committee_path": key, **dict.fromkeys(LEDGER_KEYS, 0)})
        f = figures[branch.pk]
        g["branches"] += 1
        g["required"] += f.required
        g["held"] += f.held
        g["behind"] += 1 if f.still_due else 0
        g["present"] += f.attendance_present
        g["listed"] += f.attendance_listed
    rows = committee_rows(list(groups.values()), LEDGER_KEYS, scope)
    totals = sum_rows(rows, LEDGER_KEYS, total_label(scope))
    for row in [*rows, totals]:
        _rates(row)
    return LedgerSection(span, rows, totals)
