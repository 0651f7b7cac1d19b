"""The roster in Excel: an import writes all rows or none, with a Chinese message per bad row;
the template imports as is; every export is audited."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ledger import roster_io
from ledger.models import Member, PartyGroup
from tests.permissions import assert_permission_matrix
from workflow.models import AuditEntry

from .conftest import READERS

pytestmark = pytest.mark.django_db

HEADER = list(roster_io.COLUMNS.values())


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def good_row(i):
    return [
        f"党员{i:02d}",
        "女" if i % 2 else "男",
        f"1980-01-{i % 28 + 1:02d}",
        "大学本科",
        "2005-07-01",
        "2006-07-01",
        "正式党员",
        f"第{i % 3 + 1}党小组",
        "工程师",
        f"1390000{i:04d}",
    ]


def workbook(rows, header=HEADER, sheet="党员名册"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        "roster.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_good_file_imports_and_is_idempotent(org, roster):
    sec = org.users["secretary"]
    result = roster_io.import_roster_workbook(
        workbook([good_row(i) for i in range(12)]), actor=sec, branch=org.a1
    )
    assert result.ok, result.messages()
    assert (result.created, result.updated, result.groups_created) == (12, 0, 3)
    assert Member.objects.filter(branch=org.a1).count() == 3 + 12
    first = Member.objects.get(name="党员01")
    assert first.gender == "female" and first.party_group.name == "第2党小组"
    assert first.birth_date == datetime.date(1980, 1, 2) and first.phone == "13900000001"
    entry = AuditEntry.objects.get(action="roster_import")
    assert entry.actor == sec and entry.unit == org.a1 and "新增党员 12 名" in entry.comment
    again = roster_io.import_roster_workbook(
        workbook([good_row(i) for i in range(12)]), actor=sec, branch=org.a1
    )
    assert (again.created, again.updated, again.unchanged, again.groups_created) == (0, 0, 12, 0)
    assert AuditEntry.objects.filter(action="roster_import").count() == 1


def test_existing_members_are_updated_by_name_and_birth_date(org, roster):
    row = good_row(1)
    row[0], row[2], row[8] = "李明", "1985-03-02", "值班长"
    row[7] = ""  # a blank group keeps the member's group
    result = roster_io.import_roster_workbook(
        workbook([row]), actor=org.users["secretary"], branch=org.a1
    )
    assert (result.created, result.updated) == (0, 1)
    roster.li.refresh_from_db()
    assert roster.li.post == "值班长" and roster.li.party_group == roster.g1


def test_three_bad_rows_among_many_save_nothing(org, roster):
    rows = [good_row(i) for i in range(40)]
    rows[3][4] = "2005年13月"  # sheet row 5: the header is row 1
    rows[10][1] = "未知"  # row 12
    rows[20][6], rows[20][5] = "预备党员", "2006-07-01"  # row 22: probationary with a date
    before = (Member.objects.count(), PartyGroup.objects.count(), AuditEntry.objects.count())
    result = roster_io.import_roster_workbook(
        workbook(rows), actor=org.users["secretary"], branch=org.a1
    )
    assert not result.ok
    assert result.messages() == [
        "第 5 行：入党日期格式不对，应为 2020-07-01 这样的日期。",
        "第 12 行：性别填写“未知”不对，可填：男、女。",
        "第 22 行：预备党员尚未转正，不应填写转正日期。",
    ]
    after = (Member.objects.count(), PartyGroup.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_row_rules(org, roster):
    rows = [good_row(1), good_row(1), good_row(2), good_row(3), good_row(4)]
    rows[2][0] = ""  # row 4: no name
    rows[3][9] = "12345"  # row 5
    rows[4][5] = "2004-01-01"  # row 6: full before joined
    result = roster_io.import_roster_workbook(
        workbook(rows), actor=org.users["secretary"], branch=org.a1
    )
    assert result.messages() == [
        "第 3 行：与第 2 行重复（姓名和出生日期相同）。",
        "第 4 行：姓名必填。",
        "第 5 行：手机号码格式不对，应为 11 位数字，如 13800001234。",
        "第 6 行：转正日期不能早于入党日期。",
    ]


def test_missing_columns_and_sheet(org):
    sec = org.users["secretary"]
    result = roster_io.import_roster_workbook(
        workbook([], header=HEADER[:-1]), actor=sec, branch=org.a1
    )
    assert result.errors[0].column == "手机号码"
    result = roster_io.import_roster_workbook(workbook([], sheet="Sheet"), actor=sec, branch=org.a1)
    assert result.messages() == ["工作簿中没有“党员名册”工作表，请使用导入模板。"]


def test_import_needs_the_editor(org, roster):
    with pytest.raises(PermissionDenied):
        roster_io.import_roster_workbook(
            workbook([good_row(1)]), actor=org.users["city_reviewer"], branch=org.a1
        )
    with pytest.raises(PermissionDenied):
        roster_io.import_roster_workbook(workbook([good_row(1)]), actor=org.sec_b1, branch=org.a1)


def test_untouched_template_imports(org):
    template = SimpleUploadedFile("t.xlsx", roster_io.build_template())
    result = roster_io.import_roster_workbook(template, actor=org.users["secretary"], branch=org.a1)
    assert result.ok and result.created == 1


def test_import_page_lists_row_messages(client, org, roster):
    client.force_login(org.users["secretary"])
    rows = [good_row(i) for i in range(5)]
    rows[3][4] = "不详"
    response = client.post(reverse("ledger:import", args=[org.a1.pk]), {"file": workbook(rows)})
    body = response.content.decode()
    assert "第 5 行：入党日期格式不对" in body and "未导入任何数据" in body
    response = client.post(reverse("ledger:import", args=[org.a1.pk]), {"file": workbook(rows[:3])})
    assert response.status_code == 302
    assert Member.objects.filter(branch=org.a1).count() == 6


def test_import_page_rejects_non_xlsx(client, org):
    client.force_login(org.users["secretary"])
    bogus = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post(reverse("ledger:import", args=[org.a1.pk]), {"file": bogus})
    assert "无法读取该文件" in response.content.decode()


# --- export --------------------------------------------------------------------------------


def exported(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_export_is_audited_with_rows_and_masks_for_readers(client, org, roster):
    client.force_login(org.users["city_reviewer"])
    response = client.get(reverse("ledger:export", args=[org.a1.pk]))
    assert response.status_code == 200
    rows = exported(response)
    assert rows[0] == HEADER and len(rows) == 4
    phones = {r[9] for r in rows[1:]}
    assert "138****1234" in phones and "13812341234" not in phones
    entry = AuditEntry.objects.get(action="roster_export")
    assert entry.actor == org.users["city_reviewer"] and entry.unit == org.a1
    assert entry.comment == "导出甲市网络运维党支部党员名册 3 行（手机号码已隐去中间四位）。"


def test_export_full_phones_for_the_secretary_and_reimports(org, roster):
    content, n = roster_io.export_roster(actor=org.users["secretary"], branch=org.a1)
    assert n == 3
    sheet = load_workbook(io.BytesIO(content)).active
    assert "13812341234" in [r[9] for r in sheet.iter_rows(values_only=True)]
    result = roster_io.import_roster_workbook(
        SimpleUploadedFile("r.xlsx", content), actor=org.users["secretary"], branch=org.a1
    )
    assert result.ok and result.unchanged == 3


def test_export_and_import_matrix(client, org, roster):
    assert_permission_matrix(client, org, lambda u: reverse("ledger:export", args=[u.pk]), READERS)
    editors = READERS | {
        "general_branch_reviewer": 403,
        "city_reviewer": 403,
        "province_reviewer": 403,
    }
    assert_permission_matrix(client, org, lambda u: reverse("ledger:import", args=[u.pk]), editors)
    exports = AuditEntry.objects.filter(action="roster_export")
    # every export that was served left its trace: own + other for province and admin
    assert exports.count() == 3 + 2 + 2


def test_ten_thousand_rows_with_three_bad_ones_save_nothing_and_name_each(org, roster):
    """The issue's size: a branch committee's whole roster file of 10,000 rows with three bad
    rows far apart is refused as a whole, each bad row named in Chinese, nothing half-saved."""
    rows = [good_row(i) for i in range(10_000)]
    rows[0][4] = "2005年13月"  # sheet row 2
    rows[4_998][1] = "未知"  # row 5000
    rows[9_999][6], rows[9_999][5] = "预备党员", "2006-07-01"  # row 10001
    before = (Member.objects.count(), AuditEntry.objects.count())
    result = roster_io.import_roster_workbook(
        workbook(rows), actor=org.users["secretary"], branch=org.a1
    )
    assert [m.split("：")[0] for m in result.messages()] == ["第 2 行", "第 5000 行", "第 10001 行"]
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
