"""The import template: the two data sheets with an example row each, and a help sheet."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from ..models import (
    BranchCategory,
    OrgUnit,
    Region,
    Role,
    UnitType,
)
from .columns import HELP_SHEET, TEXT_COLUMNS, UNIT_COLUMNS, UNIT_SHEET, USER_COLUMNS, USER_SHEET


def build_template() -> bytes:
    """The import template: the two data sheets with one example row each, and the allowed
    values. The example unit hangs under the first root so the untouched template imports."""
    root = OrgUnit.objects.get_first_root_node()
    regions = list(Region.objects.all())
    with translation.override("zh-hans"):
        unit_example = {
            "code": "DEMO001",
            "name": "示例党支部",
            "unit_type": str(UnitType.BRANCH.label),
            "parent": root.code if root else "P",
            "category": str(BranchCategory.PRODUCTION.label),
            "region": regions[0].code if regions else "",
            "member_count": 39,
            "sort_order": 1,
            "is_active": "是",
        }
        user_example = {
            "username": "demo_secretary",
            "full_name": "张三",
            "email": "demo_secretary@example.cn",
            "phone": "13800000000",
            "role": str(Role.SECRETARY.label),
            "unit": "DEMO001",
        }
        help_rows = _help_rows(regions)
    workbook = Workbook()
    _data_sheet(workbook.active, UNIT_SHEET, UNIT_COLUMNS, unit_example)
    _data_sheet(workbook.create_sheet(USER_SHEET), USER_SHEET, USER_COLUMNS, user_example)
    sheet = workbook.create_sheet(HELP_SHEET)
    sheet.append(["项目", "可填写的值 / 说明"])
    for line in help_rows:
        sheet.append(list(line))
    _style_header(sheet, widths=[18, 90])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheet(sheet, title, columns, example):
    sheet.title = title
    sheet.append(list(columns.values()))
    sheet.append([example[key] for key in columns])
    for index, key in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(italic=True, color="808080")
        if key in TEXT_COLUMNS:
            cell.number_format = "@"
            sheet.column_dimensions[cell.column_letter].number_format = "@"
    _style_header(sheet, widths=[max(12, len(h) * 2 + 4) for h in columns.values()])


def _style_header(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"


HELP_NOTES = (
    ("使用方法", "第 2 行为示例（灰色斜体），导入前请改为实际数据或删除；表头请勿修改。"),
    ("校验", "先校验整个文件：任何一行有错误都不会写入，页面列出每个错误的工作表、行、列。"),
    ("主键", "党组织按“组织编码”、用户按“用户名”匹配：已存在的更新，不存在的新建。"),
    ("重复导入", "再次导入同一文件不会产生任何变化。"),
    ("空白单元格", "选填列留空表示保持原值；新建时取默认值（党员人数、排序为 0，有效为“是”）。"),
    ("上级组织编码", "上级须已在系统中，或在本表中排在下级之前；只有省公司党委可以留空。"),
    ("层级", "市分公司党委、省公司直属党委 → 省公司党委；党总支 → 各级党委。"),
    ("层级", "党支部 → 各级党委或党总支；党小组 → 党支部。"),
    ("用户", "同一用户有多个角色时，每个角色占一行。导入只新增角色，不删除已有角色。"),
    ("密码", "新建的用户没有密码，需由管理员设置初始密码后才能登录。"),
    ("有效(是/否)", "是 / 否"),
)


def _help_rows(regions):
    def each(choices, note=""):
        return [f"{label}（或 {value}）{note}" for value, label in choices.choices]

    rows = list(HELP_NOTES)
    rows += [("类型", text) for text in each(UnitType)]
    rows += [("支部类别", text) for text in each(BranchCategory, "；仅党支部填写")]
    rows += [("角色", text) for text in each(Role)]
    rows += [("片区编码", f"{r.code}（{r.name}）") for r in regions] or [
        ("片区编码", "系统中尚无片区，请先在后台维护片区。")
    ]
    return rows
