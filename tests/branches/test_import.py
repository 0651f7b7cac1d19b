import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from branches import importing
from branches.importing import UNIT_COLUMNS, UNIT_SHEET, USER_COLUMNS, USER_SHEET
from branches.models import OrgUnit, Role, RoleAssignment, User
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry


def xlsx(units=(), users=(), *, sheets=(UNIT_SHEET, USER_SHEET)) -> bytes:
    """A workbook with the template's headers; rows are dicts keyed like UNIT/USER_COLUMNS."""
    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in (
        (UNIT_SHEET, UNIT_COLUMNS, units),
        (USER_SHEET, USER_COLUMNS, users),
    ):
        if title not in sheets:
            continue
        sheet = book.create_sheet(title)
        sheet.append(list(columns.values()))
        for row in rows:
            sheet.append([row.get(key) for key in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="导入.xlsx"):
    return SimpleUploadedFile(name, content, content_type=importing.XLSX_CONTENT_TYPE)


def run(org, content):
    return importing.import_org_workbook(io.BytesIO(content), actor=org.users["admin"])


def unit(code):
    return OrgUnit.objects.get(code=code)


def parent(node):
    return OrgUnit.objects.get_parent(node)


VALID_UNITS = [
    {
        "code": "BG",
        "name": "乙市网络部党总支",
        "unit_type": "党总支",
        "parent": "B",
        "region": "south",
    },
    {
        "code": "B2",
        "name": "乙市传输党支部",
        "unit_type": "branch",  # the code value is accepted as well as the label
        "parent": "BG",
        "category": "市场经营类",
        "region": "south",
        "member_count": 39,
        "sort_order": 2,
        "is_active": "是",
    },
    {
        "code": "B2G1",
        "name": "传输第一党小组",
        "unit_type": "党小组",
        "parent": "B2",
        "member_count": 7,
    },
    {"code": "A2", "name": "甲市市场经营部党支部", "unit_type": "党支部", "parent": "A"},  # rename
]
VALID_USERS = [
    {
        "username": "liu_b2",
        "full_name": "刘书记",
        "email": "liu@example.cn",
        "phone": 13800000001,
        "role": "支部书记/党务工作者",
        "unit": "B2",
    },
    {"username": "liu_b2", "role": "reviewer", "unit": "BG"},
    {"username": "sec_b1", "full_name": "周新书记", "phone": "010-1234"},  # update, no role
    {"username": "rev_b", "role": "党委/党总支审核人", "unit": "B"},  # role already held
]


def test_valid_workbook_creates_units_users_and_roles_in_the_tree(org):
    units_before = OrgUnit.objects.count()

    result = run(org, xlsx(VALID_UNITS, VALID_USERS))

    assert result.ok, result.errors
    assert (result.units.created, result.units.updated, result.units.unchanged) == (3, 1, 0)
    assert (result.users.created, result.users.updated, result.users.unchanged) == (1, 1, 1)
    assert (result.roles.created, result.roles.unchanged) == (2, 1)
    assert OrgUnit.objects.count() == units_before + 3

    general, branch, group = unit("BG"), unit("B2"), unit("B2G1")
    assert parent(general) == org.city_b and general.path.startswith(org.city_b.path)
    assert parent(branch) == general and parent(group) == branch
    assert group.path.startswith(branch.path) and group.depth == 5
    assert (branch.category, branch.region.code, branch.member_count) == ("market", "south", 39)
    assert (branch.sort_order, branch.is_active) == (2, True)
    assert general.category == "" and general.member_count == 0
    assert unit("B").numchild == 2 and unit("A2").name == "甲市市场经营部党支部"
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])

    liu = User.objects.get(username="liu_b2")
    assert (liu.full_name, liu.email, liu.phone) == ("刘书记", "liu@example.cn", "13800000001")
    assert not liu.has_usable_password()
    assert set(liu.roles.values_list("unit__code", "role")) == {
        ("B2", Role.SECRETARY),
        ("BG", Role.REVIEWER),
    }
    sec_b1 = User.objects.get(username="sec_b1")
    assert (sec_b1.full_name, sec_b1.phone) == ("周新书记", "010-1234")
    assert sec_b1.has_usable_password() and sec_b1.email == "sec_b1@example.cn"  # blank: kept

    audit = AuditEntry.objects.get(action="import")
    assert audit.actor == org.users["admin"] and audit.unit == org.province
    assert "新增 3" in audit.comment


def test_reimporting_the_same_file_changes_nothing(org):
    content = xlsx(VALID_UNITS, VALID_USERS)
    run(org, content)
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    rows = (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    audits = AuditEntry.objects.count()

    again = run(org, content)

    assert again.ok and not again.changed
    assert (again.units.created, again.units.updated, again.units.unchanged) == (0, 0, 4)
    assert (again.users.created, again.users.updated, again.users.unchanged) == (0, 0, 3)
    assert (again.roles.created, again.roles.unchanged) == (0, 3)
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths
    assert (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == rows
    assert AuditEntry.objects.count() == audits


def test_a_changed_parent_moves_the_unit_with_its_subtree(org):
    result = run(
        org,
        xlsx(
            [
                {"code": "A1", "name": "甲市网络运维党支部", "unit_type": "党支部", "parent": "B"},
            ]
        ),
    )

    assert result.ok, result.errors
    assert (result.units.updated, result.units.created) == (1, 0)
    a1, group = unit("A1"), unit("A1G1")
    assert parent(a1) == org.city_b and parent(group) == a1
    assert group.path.startswith(unit("B").path)
    assert (unit("GA").numchild, unit("B").numchild) == (0, 2)
    assert a1.category == "production" and a1.member_count == 12  # blank cells kept
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_new_parent_and_moved_child_in_one_file(org):
    result = run(
        org,
        xlsx(
            [
                {"code": "BG", "name": "乙市新党总支", "unit_type": "党总支", "parent": "B"},
                {"code": "B1", "name": "乙市网络运维党支部", "unit_type": "党支部", "parent": "BG"},
            ]
        ),
    )

    assert result.ok, result.errors
    assert parent(unit("B1")) == unit("BG")
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_a_workbook_with_errors_writes_nothing_and_reports_each_one(org):
    counts = (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    names = dict(OrgUnit.objects.values_list("code", "name"))
    units = [
        {"code": "N1", "name": "新支部", "unit_type": "党支部", "parent": "NOPE"},  # row 2
        {"code": "N2", "name": "重复一", "unit_type": "党支部", "parent": "A"},  # row 3: ok
        {"code": "N2", "name": "重复二", "unit_type": "党支部", "parent": "A"},  # row 4
        {"code": "N3", "name": "怪类型", "unit_type": "党大组", "parent": "A"},  # row 5
        {
            "code": "N4",
            "name": "支部",
            "unit_type": "党支部",
            "parent": "A",
            "category": "农业类",
            "region": "west",
            "member_count": "十二",
        },  # row 6: three errors
        {"code": "N5", "name": "子先行", "unit_type": "党小组", "parent": "N6"},  # row 7
        {"code": "N6", "name": "父在后", "unit_type": "党支部", "parent": "A"},  # row 8
        {"code": "N7", "name": "挂错层", "unit_type": "党小组", "parent": "GA"},  # row 9
        {"code": "A", "name": "甲市分公司党委", "unit_type": "市分公司党委", "parent": "A1"},  # 10
        {
            "code": "N8",
            "name": "",
            "unit_type": "党总支",
            "parent": "A",
            "category": "生产类",
            "member_count": 3.5,
            "is_active": "也许",
        },  # row 11
    ]
    users = [
        {"username": "new_user", "role": "书记", "unit": "A1"},  # row 2
        {"username": "x y", "role": "secretary", "unit": "ZZ"},  # row 3: two errors
        {"username": "u3", "email": "not-an-email", "role": "secretary"},  # row 4
    ]

    result = run(org, xlsx(units, users))

    assert not result.ok
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert found == {
        ("党组织", 2, "上级组织编码"),
        ("党组织", 4, "组织编码"),
        ("党组织", 5, "类型"),
        ("党组织", 6, "支部类别"),
        ("党组织", 6, "片区编码"),
        ("党组织", 6, "党员人数"),
        ("党组织", 7, "上级组织编码"),
        ("党组织", 9, "上级组织编码"),
        ("党组织", 10, "上级组织编码"),
        ("党组织", 11, "名称"),
        ("党组织", 11, "支部类别"),
        ("党组织", 11, "党员人数"),
        ("党组织", 11, "有效(是/否)"),
        ("用户", 2, "角色"),
        ("用户", 3, "用户名"),
        ("用户", 3, "所在组织编码"),
        ("用户", 4, "邮箱"),
        ("用户", 4, "所在组织编码"),
    }
    problems = {(e.row, e.column): e.problem for e in result.errors if e.sheet == "党组织"}
    assert "NOPE" in problems[(2, "上级组织编码")]
    assert "第 3 行" in problems[(4, "组织编码")]
    assert "须排在本行之前" in problems[(7, "上级组织编码")]
    assert "党小组的上级须为党支部" in problems[(9, "上级组织编码")]
    assert "循环" in problems[(10, "上级组织编码")]
    assert "west" in problems[(6, "片区编码")]
    assert (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == counts
    assert dict(OrgUnit.objects.values_list("code", "name")) == names
    assert not AuditEntry.objects.exists()


def test_changing_a_type_must_still_fit_the_stored_children(org):
    result = run(
        org,
        xlsx(
            [
                {"code": "A1", "name": "甲市网络运维党总支", "unit_type": "党总支", "parent": "GA"},
            ]
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "类型"), (2, "上级组织编码")]
    assert "A1G1" in result.errors[0].problem


def test_users_sheet_alone_and_inconsistent_user_rows(org):
    result = run(
        org,
        xlsx(
            users=[
                {"username": "wang", "full_name": "王一", "role": "secretary", "unit": "A2"},
                {"username": "wang", "full_name": "王二", "role": "reviewer", "unit": "A"},
                {"username": "wang", "role": "secretary", "unit": "A2"},
            ],
            sheets=(USER_SHEET,),
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名"), (4, "角色")]
    assert not User.objects.filter(username="wang").exists()


def test_missing_columns_are_reported_on_the_header_row(org):
    book = Workbook()
    book.active.title = UNIT_SHEET
    book.active.append(["组织编码", "名称", "类型"])
    book.active.append(["X1", "某支部", "党支部"])
    buffer = io.BytesIO()
    book.save(buffer)

    result = run(org, buffer.getvalue())

    assert {(e.row, e.column) for e in result.errors} == {
        (1, title) for title in list(UNIT_COLUMNS.values())[3:]
    }


# ---- the views ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.users["admin"])
    return client


def post(client, content, name="导入.xlsx"):
    return client.post(reverse("branches:import"), {"file": upload(content, name)}, follow=True)


def test_upload_applies_and_summarises_on_the_page(admin_client, org):
    response = post(admin_client, xlsx(VALID_UNITS, VALID_USERS))

    assert response.redirect_chain == [(reverse("branches:import"), 302)]
    page = response.content.decode()
    assert "导入完成" in page and "党组织：新增 3，更新 1，未变 0" in page
    assert "尚未设置密码" in page
    assert parent(unit("B2G1")) == unit("B2")


def test_upload_with_errors_shows_the_error_table_and_writes_nothing(admin_client, org):
    count = OrgUnit.objects.count()
    response = post(
        admin_client,
        xlsx(
            [
                {"code": "N1", "name": "新支部", "unit_type": "党支部", "parent": "NOPE"},
                {
                    "code": "N2",
                    "name": "小组",
                    "unit_type": "党小组",
                    "parent": "A",
                    "member_count": "x",
                },
            ]
        ),
    )

    assert response.status_code == 200
    table = response.context["result"].errors
    assert [(e.row, e.column) for e in table] == [
        (2, "上级组织编码"),
        (3, "上级组织编码"),
        (3, "党员人数"),
    ]
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "NOPE" in page and "未导入任何数据" in page
    assert OrgUnit.objects.count() == count


@pytest.mark.parametrize(
    "content",
    [b"name,code\nA,1\n", b"PK\x03\x04 not really a zip", xlsx()[:200]],
    ids=["csv", "fake-zip", "truncated"],
)
def test_content_that_is_not_xlsx_is_refused_whatever_its_name(admin_client, org, content):
    response = post(admin_client, content, name="组织.xlsx")

    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert response.context["form"].errors["file"]


def test_a_zip_that_is_not_a_workbook_is_refused(admin_client, org):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = post(admin_client, buffer.getvalue())
    assert "无法读取该文件" in response.content.decode()


def test_oversized_upload_is_refused_before_reading(admin_client, org, settings):
    settings.IMPORT_MAX_BYTES = 1024
    count = OrgUnit.objects.count()
    content = xlsx(VALID_UNITS)
    assert len(content) > 1024

    response = post(admin_client, content)

    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert response.context["form"].errors["file"][0].startswith("文件过大")
    assert OrgUnit.objects.count() == count


def test_template_is_a_valid_workbook_whose_headers_the_importer_reads(admin_client, org):
    response = admin_client.get(reverse("branches:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == importing.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["党组织", "用户", "说明"]
    for title, columns in ((UNIT_SHEET, UNIT_COLUMNS), (USER_SHEET, USER_COLUMNS)):
        sheet = book[title]
        header = [c.value for c in sheet[1]]
        assert header == list(columns.values())
        assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
        assert sheet.max_row == 2  # header + one example row
    help_text = "\n".join(str(v) for row in book["说明"].iter_rows(values_only=True) for v in row)
    for label in ("党小组", "非公改制类", "旗舰品牌评审委员", "north（北部片区）"):
        assert label in help_text

    # Round trip: fill the template (its example rows plus one more) and import it.
    units = book[UNIT_SHEET]
    units.append(["DEMO001G1", "示例党小组", "党小组", "DEMO001", None, None, 8, 1, "是"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = post(admin_client, buffer.getvalue())

    assert "导入完成" in result.content.decode()
    demo = unit("DEMO001")
    assert parent(demo) == org.province and demo.region.code == "north"
    assert (demo.category, demo.member_count) == ("production", 39)
    assert parent(unit("DEMO001G1")) == demo
    user = User.objects.get(username="demo_secretary")
    assert list(user.roles.values_list("unit__code", "role")) == [("DEMO001", Role.SECRETARY)]


ADMIN_ONLY = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
    "admin": 200,
}


@pytest.mark.parametrize("name", ["branches:import", "branches:import_template"])
def test_only_administrators_may_import(client, org, name):
    assert_permission_matrix(client, org, lambda unit: reverse(name), ADMIN_ONLY)


def test_non_admin_post_is_refused_and_writes_nothing(client, org):
    client.force_login(org.users["city_reviewer"])
    response = client.post(reverse("branches:import"), {"file": upload(xlsx(VALID_UNITS))})
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="B2").exists()
