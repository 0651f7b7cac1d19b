"""The workbook's sheets and columns, the allowed values, and reading cells into typed values with
errors that name the sheet, row and column."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    COMMITTEE_TYPES,
    UnitType,
)
from .results import RowError, WorkbookUnreadable

UNIT_SHEET, USER_SHEET, HELP_SHEET = "党组织", "用户", "说明"

# Column key → header. The importer finds columns by header text, so their order is free.
UNIT_COLUMNS = {
    "code": "组织编码",
    "name": "名称",
    "unit_type": "类型",
    "parent": "上级组织编码",
    "category": "支部类别",
    "region": "片区编码",
    "member_count": "党员人数",
    "sort_order": "排序",
    "is_active": "有效(是/否)",
}
USER_COLUMNS = {
    "username": "用户名",
    "full_name": "姓名",
    "email": "邮箱",
    "phone": "电话",
    "role": "角色",
    "unit": "所在组织编码",
}
TEXT_COLUMNS = {"code", "parent", "region", "username", "phone", "unit"}  # "@" format: keeps 0101

# Which unit types may sit directly under which; None = a root (no parent).
ALLOWED_PARENTS = {
    UnitType.PROVINCE: (None,),
    UnitType.CITY: (UnitType.PROVINCE,),
    UnitType.DIRECT: (UnitType.PROVINCE,),
    UnitType.GENERAL_BRANCH: COMMITTEE_TYPES,
    UnitType.BRANCH: (*COMMITTEE_TYPES, UnitType.GENERAL_BRANCH),
    UnitType.PARTY_GROUP: (UnitType.BRANCH,),
}
YES = {"是", "y", "yes", "true", "1", "有效"}
NO = {"否", "n", "no", "false", "0", "无效"}
MAX_ROWS = 20000  # per sheet; a larger tree is imported in batches
MAX_INT = 2_147_483_647
UNKNOWN = gettext_lazy("未知的值“%(v)s”，可填：%(allowed)s。")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_rows(workbook, title):
    if title not in workbook.sheetnames:
        return None
    try:
        return list(workbook[title].iter_rows(values_only=True))
    except Exception as exc:  # a sheet's XML is parsed lazily in read-only mode
        raise WorkbookUnreadable(_("工作表“%(sheet)s”无法读取。") % {"sheet": title}) from exc


def _header_key(value) -> str:
    text = _text(value)
    for bracket in ("(", "（"):
        text = text.split(bracket, 1)[0]
    return text.strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cells(rows, sheet, columns, errors):
    """`(row number, {key: text})` for each non-blank data row; header problems are errors."""
    if not rows:
        return []
    header = [_header_key(h) for h in rows[0]]
    positions = {}
    for key, title in columns.items():
        if _header_key(title) in header:
            positions[key] = header.index(_header_key(title))
        else:
            errors.append(RowError(sheet, 1, title, _("缺少该列，请使用导入模板的表头。")))
    if len(positions) < len(columns):
        return []
    out = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {k: _text(values[i]) if i < len(values) else "" for k, i in positions.items()}
        if not any(cells.values()):
            continue
        if len(out) >= MAX_ROWS:
            errors.append(
                RowError(
                    sheet, number, "", _("超过 %(max)d 行上限，请分批导入。") % {"max": MAX_ROWS}
                )
            )
            break
        out.append((number, cells))
    return out


def _choices(choices) -> dict[str, str]:
    """Chinese label or code (any case) → code."""
    with translation.override("zh-hans"):
        table = {str(label): value for value, label in choices.choices}
    table.update({value.lower(): value for value in choices.values})
    return table


def _choice(table, text) -> str:
    return table.get(text) or table.get(text.lower(), "")


def _valid(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _labels(choices) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in choices.labels)
