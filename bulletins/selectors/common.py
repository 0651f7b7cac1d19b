"""What every section shares: settings, committee rows, totals, and `ScopeReader`."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _

from branches.models import OrgUnit, Role, UnitType
from branches.selectors import COMMITTEE_DEPTH, COMMITTEE_PATH_LEN


def overdue_days() -> int:
    """In review for longer than this many days (since the last submission) is overdue."""
    return settings.BULLETIN_OVERDUE_DAYS


def overdue_cutoff(as_of: datetime, days: int) -> datetime:
    """The rule behind the heading "超期未审（>15天）": overdue is waiting *more than* `days`
    whole days, the whole days the item list shows (`(as_of - since).days`). So 15 days and
    some hours (shown as 15) is not overdue, 16 days is: submitted on or before
    `as_of - (days + 1) days`."""
    return as_of - timedelta(days=days + 1)


def items_per_committee() -> int:
    """How many returned/overdue items the Excel list names per committee, longest waiting
    first (all counts stay complete; the full working list is the review queue)."""
    return settings.BULLETIN_ITEMS_PER_COMMITTEE


class ScopeReader:
    """Reads the brands selectors' user-scoped aggregates as someone holding a role at `unit`
    would (their scope is exactly that unit's subtree). `branches.selectors.scope_paths`
    derives the scope from `role_assignments`, the same attribute a real user has."""

    is_authenticated = True
    is_superuser = False
    is_active = True

    def __init__(self, unit: OrgUnit):
        self.unit = unit
        self.role_assignments = [SimpleNamespace(unit=unit, role=Role.REVIEWER)]


@dataclass
class CountsRow:
    """One committee's (or the total's) counts of a section."""

    label: str
    values: dict
    unit: OrgUnit | None = None

    def __getitem__(self, key):
        return self.values.get(key, 0)


def committee_rows(groups: list[dict], keys: list[str], scope: OrgUnit | None = None):
    """Grouped rows (each with `committee_path`) → labelled rows in tree order: one query for
    the committees' names. With `scope`, every active committee of the scope keeps its row,
    its counts 0 where the month had none (a zero is a figure, not missing data)."""
    by_path = {g["committee_path"]: g for g in groups}
    units = OrgUnit.objects.filter(path__in=list(by_path))
    if scope is not None:
        units = units | committees_of(scope)
    units = {u.path: u for u in units}
    rows = []
    for path in sorted(set(by_path) | set(units)):
        unit, g = units.get(path), by_path.get(path, {})
        rows.append(
            CountsRow(
                label=unit.name if unit else path,
                unit=unit,
                values={k: g.get(k) or 0 for k in keys},
            )
        )
    return rows


def committees_of(scope: OrgUnit):
    """The committees (市分公司党委 / 直属党委) a bulletin of `scope` has a row for: the
    province's active committees, or the committee itself."""
    if len(scope.path) >= COMMITTEE_PATH_LEN:
        return OrgUnit.objects.filter(path=scope.path[:COMMITTEE_PATH_LEN])
    return OrgUnit.objects.filter(
        path__startswith=scope.path, depth=COMMITTEE_DEPTH, is_active=True
    )


def sum_rows(rows: list[CountsRow], keys: list[str], label: str) -> CountsRow:
    return CountsRow(label=label, values={k: sum(r[k] or 0 for r in rows) for k in keys})


def total_label(scope: OrgUnit) -> str:
    if scope.unit_type == UnitType.PROVINCE:
        return _("全省合计")
    return _("%(name)s合计") % {"name": scope.name}
