"""The roster in Excel: import (all or nothing), its template, and the audited export."""

from .columns import COLUMNS, SHEET, describe
from .exporting import build_template, export_roster
from .importing import RosterImportResult, import_roster_workbook

__all__ = [
    "COLUMNS",
    "SHEET",
    "RosterImportResult",
    "build_template",
    "describe",
    "export_roster",
    "import_roster_workbook",
]
