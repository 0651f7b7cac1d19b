"""The roster as a workbook: the import template, and the export of a branch's roster.

An export is personal data leaving the portal, so each one is audited (who, which branch, how
many rows), and phones are written in full only for those who may edit the roster — the same
rule as the member's page; readers (reviewers) get them masked."""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from branches.importing.template import _style_header
from branches.models import OrgUnit
from workflow.services import record_audit

from ..models import Education, Gender, Member, MemberStatus, mask_phone
from .columns import COLUMNS, HELP_SHEET, SHEET, TEXT_COLUMNS

HELP_NOTES = (
    ("使用方法", "第 2 行为示例（灰色斜体），导入前请改为实际数据或删除；表头请勿修改。"),
    ("校验", "先校验整个文件：任何一行有错误都不会写入，页面列出每个错误的行和原因。"),
    ("匹配", "按“姓名 + 出生日期”匹配本支部在册党员：已存在的更新，不存在的新增。"),
    ("日期", "如 2020-07-01、2020/7/1 或 2020年7月1日。预备党员不填转正日期。"),
    ("党小组", "填写党小组名称；本支部还没有的党小组会自动新建；留空则不改变所在党小组。"),
    ("手机号码", "11 位手机号码，可不填。"),
)


def build_template() -> bytes:
    with translation.override("zh-hans"):
        example = {
            "name": "张三",
            "gender": str(Gender.MALE.label),
            "birth_date": "1985-03-02",
            "education": str(Education.BACHELOR.label),
            "joined_on": "2010-07-01",
            "full_member_on": "2011-07-01",
            "status": str(MemberStatus.FULL.label),
            "party_group": "第一党小组",
            "post": "运维工程师",
            "phone": "13800001234",
        }
        allowed = [
            ("性别", "、".join(str(label) for label in Gender.labels)),
            ("学历", "、".join(str(label) for label in Education.labels)),
            ("党员状态", "、".join(str(label) for label in MemberStatus.labels)),
        ]
    workbook = Workbook()
    sheet = _data_sheet(workbook.active, [example])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append(["项目", "可填写的值 / 说明"])
    for line in (*HELP_NOTES, *allowed):
        help_sheet.append(list(line))
    _style_header(help_sheet, widths=[14, 90])
    return _bytes(workbook)


def _data_sheet(sheet, rows):
    sheet.title = SHEET
    sheet.append(list(COLUMNS.values()))
    for row in rows:
        sheet.append([row[key] for key in COLUMNS])
    for index, key in enumerate(COLUMNS, start=1):
        if key in TEXT_COLUMNS:
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].number_format = "@"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    _style_header(sheet, widths=[max(12, len(h) * 2 + 4) for h in COLUMNS.values()])
    return sheet


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(member: Member, full_phone: bool) -> dict:
    return {
        "name": member.name,
        "gender": member.get_gender_display(),
        "birth_date": member.birth_date.isoformat(),
        "education": member.get_education_display(),
        "joined_on": member.joined_on.isoformat(),
        "full_member_on": member.full_member_on.isoformat() if member.full_member_on else "",
        "status": member.get_status_display(),
        "party_group": member.party_group.name if member.party_group_id else "",
        "post": member.post,
        "phone": member.phone if full_phone else mask_phone(member.phone),
    }


def export_roster(*, actor, branch: OrgUnit) -> tuple[bytes, int]:
    """The branch's active members as a workbook, and how many rows; audited."""
    if not actor.has_perm("ledger.view_roster", branch):
        raise PermissionDenied
    full_phone = actor.has_perm("ledger.edit_roster", branch)
    members = (
        Member.objects.filter(branch=branch, is_active=True)
        .select_related("party_group")
        .order_by("party_group__name", "name", "pk")
    )
    with translation.override("zh-hans"), transaction.atomic():
        rows = [_row(m, full_phone) for m in members]
        workbook = Workbook()
        _data_sheet(workbook.active, rows)
        record_audit(
            actor=actor,
            obj=branch,
            action="roster_export",
            comment=_("导出%(branch)s党员名册 %(n)d 行（手机号码%(phone)s）。")
            % {
                "branch": branch.name,
                "n": len(rows),
                "phone": _("完整") if full_phone else _("已隐去中间四位"),
            },
            unit=branch,
        )
    return _bytes(workbook), len(rows)
