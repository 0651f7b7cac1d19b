"""Bulk import of the org tree and its users from an Excel workbook (.xlsx).

The rule: the whole workbook is validated first and every problem is reported with its sheet,
row and column; only a workbook without a single error is applied, in one transaction, so an
import never half-applies. Rows are keyed by 组织编码 / 用户名, so importing the same file twice
changes nothing. A blank optional cell keeps the stored value (a new row gets the default).
Roles are only ever added by an import, never removed."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from workflow.services import record_audit

from ..models import OrgUnit
from .columns import (
    UNIT_COLUMNS,
    UNIT_SHEET,
    USER_COLUMNS,
    USER_SHEET,
    XLSX_CONTENT_TYPE,
    _cells,
    _sheet_rows,
)
from .plan import _Plan
from .results import Counts, ImportResult, RowError, WorkbookUnreadable
from .template import build_template


def open_workbook(file):
    """Open an upload as an .xlsx workbook by its content; any parse failure is unreadable."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike: untrusted input
        raise WorkbookUnreadable(_("无法读取该文件：请上传 Excel 工作簿（.xlsx）。")) from exc


def import_org_workbook(file, *, actor) -> ImportResult:
    """Validate the whole workbook; if it has no error, create or update its units, users and
    role assignments in one transaction (all or nothing) and record one audit entry."""
    workbook = open_workbook(file)
    try:
        unit_rows = _sheet_rows(workbook, UNIT_SHEET)
        user_rows = _sheet_rows(workbook, USER_SHEET)
    finally:
        workbook.close()
    errors = []
    if unit_rows is None and user_rows is None:
        errors.append(
            RowError("", 0, "", _("工作簿中没有“党组织”或“用户”工作表，请使用导入模板。"))
        )
        return ImportResult(errors=errors)
    try:
        return _validate_and_apply(unit_rows, user_rows, errors, actor)
    except IntegrityError:  # another import created the same code or username meanwhile
        return ImportResult(errors=[RowError("", 0, "", _("另一项导入正在进行，请稍后重试。"))])


def _validate_and_apply(unit_rows, user_rows, errors, actor) -> ImportResult:
    with transaction.atomic():
        # Imports serialise on the root row, so two admins never interleave their plans.
        list(OrgUnit.objects.select_for_update().filter(depth=1))
        plan = _Plan(errors)
        plan.read_units(_cells(unit_rows or [], UNIT_SHEET, UNIT_COLUMNS, errors))
        plan.read_users(_cells(user_rows or [], USER_SHEET, USER_COLUMNS, errors))
        if errors:
            return ImportResult(errors=sorted(errors, key=_error_order))
        result = plan.apply()
        root = OrgUnit.objects.get_first_root_node()
        if result.changed and root is not None:
            record_audit(
                actor=actor, obj=root, action="import", comment=result.summary(), unit=root
            )
        return result


def _error_order(error):
    columns = list((UNIT_COLUMNS if error.sheet == UNIT_SHEET else USER_COLUMNS).values())
    column = columns.index(error.column) if error.column in columns else -1
    return (error.sheet != UNIT_SHEET, error.sheet, error.row, column)


__all__ = [
    "UNIT_COLUMNS",
    "UNIT_SHEET",
    "USER_COLUMNS",
    "USER_SHEET",
    "XLSX_CONTENT_TYPE",
    "Counts",
    "ImportResult",
    "RowError",
    "WorkbookUnreadable",
    "build_template",
    "import_org_workbook",
    "open_workbook",
]
