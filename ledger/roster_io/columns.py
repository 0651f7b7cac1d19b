"""The roster workbook's sheet and columns — one layout for the import, its template and the
export, so an exported roster (with full phones) can be edited and imported back."""

import datetime
import re

from django.utils.translation import gettext as _

from branches.importing.results import RowError

SHEET, HELP_SHEET = "党员名册", "说明"

# Column key → header; the importer finds columns by header text, so their order is free.
COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "education": "学历",
    "joined_on": "入党日期",
    "full_member_on": "转正日期",
    "status": "党员状态",
    "party_group": "党小组",
    "post": "岗位",
    "phone": "手机号码",
}
REQUIRED = ("name", "gender", "birth_date", "education", "joined_on", "status")
DATE_COLUMNS = ("birth_date", "joined_on", "full_member_on")
TEXT_COLUMNS = {"phone", *DATE_COLUMNS}  # "@" format in the template: kept as typed

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?: 00:00:00)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(text: str) -> datetime.date | None:
    """2020-07-01, 2020/7/1, 2020.07.01, 2020年7月1日, a date cell, or an Excel day number;
    None when it is none of these."""
    match = _DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    if text.isdigit() and 1 < int(text) < 80000:  # a date cell formatted as a number
        return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
    return None


def describe(error: RowError) -> str:
    """One error as the page lists it: 第 5 行：入党日期格式不对……"""
    if not error.row:
        return error.problem
    return _("第 %(row)d 行：%(problem)s") % {"row": error.row, "problem": error.problem}
