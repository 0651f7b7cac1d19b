"""What every section shares: settings, committee rows, totals, and `ScopeReader`."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _

from branches.models import OrgUnit, Role, UnitType


def overdue_days() -> int:
    """In review for longer than this many days (since the last submission) is overdue."""
    return settings.BULLETIN_OVERDUE_DAYS


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


def committee_rows(groups: list[dict], keys: list[str]) -> list[CountsRow]:
    """Grouped rows (each with `committee_path`) → labelled rows in tree order: one query for
    the committees' names."""
    units = OrgUnit.objects.in_bulk([g["committee_path"] for g in groups], field_name="path")
    rows = []
    for g in sorted(groups, key=lambda g: g["committee_path"]):
        unit = units.get(g["committee_path"])
        rows.append(
            CountsRow(
                label=unit.name if unit else g["committee_path"],
                unit=unit,
                values={k: g[k] for k in keys},
            )
        )
    return rows


def sum_rows(rows: list[CountsRow], keys: list[str], label: str) -> CountsRow:
    return CountsRow(label=label, values={k: sum(r[k] or 0 for r in rows) for k in keys})


def total_label(scope: OrgUnit) -> str:
    if scope.unit_type == UnitType.PROVINCE:
        return _("全省合计")
    return _("%(name)s合计") % {"name": scope.name}
