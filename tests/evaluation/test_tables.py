"""Scoring tables as versioned data: shipped defaults, immutability, new versions, xlsx
export/import, the admin."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from evaluation import table_xlsx
from evaluation.models import (
    Dimension,
    Indicator,
    ScoringTable,
    TableVersion,
    VersionStatus,
)
from evaluation.selectors.tables import version_with_rows
from evaluation.services import tables as services

pytestmark = pytest.mark.django_db

SHIPPED = {
    "six-good": [
        "班子建设好",
        "队伍管理好",
        "组织生活好",
        "制度执行好",
        "基础工作好",
        "作用发挥好",
    ],
    "brand-five-forces": ["领导力", "向心力", "竞争力", "传播力", "影响力"],
    "star-5521": ["星级队伍", "星级管理", "星级业绩", "星级品牌", "星级服务"],
    "double-hundred-branch": None,
    "double-hundred-member": None,
    "party-group-quarterly": None,
}


def earning_max(version, category=""):
    return Indicator.objects.filter(
        dimension__version=version, kind__in=["basic", "special"], category__in=["", category]
    ).aggregate(s=Sum("max_points"))["s"]


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_tables_are_published_and_worth_100_points(code):
    version = TableVersion.objects.get(table__code=code, number=1)
    assert version.status == VersionStatus.PUBLISHED
    names = list(version.dimensions.order_by("sort_order").values_list("name", flat=True))
    if SHIPPED[code]:
        assert names == SHIPPED[code]
    assert earning_max(version, "production") == 100


def test_5521_role_played_varies_by_the_five_categories():
    version = TableVersion.objects.get(table__code="star-5521", number=1)
    special = Indicator.objects.filter(dimension__version=version, kind="special")
    assert set(special.values_list("category", flat=True)) == {
        "production",
        "auxiliary",
        "management",
        "market",
        "non_public",
    }
    for category in ("production", "auxiliary", "management", "market", "non_public"):
        names = special.filter(category=category).values_list("name", flat=True)
        assert [n.split("·")[1][:2] for n in names] == ["产量", "成本", "质量", "安全"]
        assert earning_max(version, category) == 100
    kinds = set(Indicator.objects.filter(dimension__version=version).values_list("kind", flat=True))
    assert kinds == {"basic", "special", "deduction", "veto"}


def test_5521_version_2_scores_the_brand_index_online_and_changes_nothing_else():
    v1, v2 = (TableVersion.objects.get(table__code="star-5521", number=n) for n in (1, 2))
    assert v2.status == VersionStatus.PUBLISHED and v2.based_on == v1

    def rows(version):
        return list(
            Indicator.objects.filter(dimension__version=version)
            .order_by("dimension__sort_order", "sort_order", "pk")
            .values_list("dimension__code", "code", "kind", "max_points", "category", "online_rule")
        )

    online = {(d, c): rule for d, c, *_rest, rule in rows(v2) if rule}
    assert online == {("xjpp", "pp-1"): "brand_status", ("xjpp", "pp-2"): "brand_media"}
    assert [r[:5] for r in rows(v2)] == [r[:5] for r in rows(v1)]
    assert not any(r[5] for r in rows(v1))  # a published version never changes


def test_published_versions_cannot_be_changed_or_deleted():
    version = TableVersion.objects.get(table__code="six-good", number=1)
    version.note = "改"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        Dimension.objects.filter(version=version).first().delete()
    with pytest.raises(ValidationError):
        Indicator(dimension=version.dimensions.first(), code="x", name="x", max_points=1).save()


def test_edits_create_a_new_version(org):
    admin = org.users["admin"]
    source = TableVersion.objects.get(table__code="six-good", number=1)
    shipped = TableVersion.objects.filter(table=source.table).count()  # v1–v3 ship
    draft = services.new_version(actor=admin, pk=source.pk)
    assert (draft.number, draft.status, draft.based_on) == (
        shipped + 1,
        VersionStatus.DRAFT,
        source,
    )
    assert Indicator.objects.filter(dimension__version=draft).count() == 20
    item = Indicator.objects.filter(dimension__version=draft).first()
    item.max_points = Decimal(4)
    item.save()  # drafts are editable
    services.publish_version(actor=admin, pk=draft.pk)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == admin
    with pytest.raises(ValidationError, match="已发布"):
        services.publish_version(actor=admin, pk=draft.pk)
    # the original version is untouched
    assert earning_max(source) == 100


def test_only_administrators_manage_tables(org):
    from django.core.exceptions import PermissionDenied

    source = TableVersion.objects.get(table__code="six-good", number=1)
    for role in ("province_reviewer", "city_reviewer", "secretary"):
        with pytest.raises(PermissionDenied):
            services.new_version(actor=org.users[role], pk=source.pk)


def export_bytes(version):
    version, groups = version_with_rows(version.pk)
    with table_xlsx.write_version(version, groups) as f:
        return f.read()


def test_xlsx_round_trip_creates_a_new_draft_version(org):
    TableVersion.objects.filter(table__code="star-5521", number=3).update(max_star_rise=1)
    source = TableVersion.objects.get(table__code="star-5521", number=3)  # with online items
    data = export_bytes(source)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["评价表", "指标", "分类权重"]
    assert [c.value for c in book["指标"][1]][:5] == [
        "维度编码",
        "维度名称",
        "维度说明",
        "指标编码",
        "指标名称",
    ]
    upload = SimpleUploadedFile("5521.xlsx", data)
    version = services.import_table(actor=org.users["admin"], upload=upload)
    assert version.table == source.table and version.number == 4
    assert version.status == VersionStatus.DRAFT and version.based_on == source
    assert version.max_star_rise == 1  # the step rule (逐级晋升) survives the round trip
    fields = ("dimension__code", "code", "name", "kind", "max_points", "category", "method")
    original, copied = (
        sorted(Indicator.objects.filter(dimension__version=v).values_list(*fields, "online_rule"))
        for v in (source, version)
    )
    assert copied == original
    assert sum(1 for row in copied if row[-1]) == 8  # the online items survive the round trip


def bad_workbook():
    book = Workbook()
    info = book.active
    info.title = "评价表"
    for label, value in [
        ("编码", "new-table"),
        ("名称", "新表"),
        ("考评对象", "党支部"),
        ("季度星级至多晋升", "两级"),
        ("二星得分率(%)", 60),
        ("三星得分率(%)", 50),
        ("四星得分率(%)", 80),
        ("五星得分率(%)", 90),
    ]:
        info.append([label, value])
    sheet = book.create_sheet("指标")
    sheet.append([label for _k, label in table_xlsx.COLUMNS])
    sheet.append(["d1", "维度一", "", "i1", "指标一", "", "", "基础指标", 10, ""])
    sheet.append(["d1", "维度一", "", "i2", "指标二", "", "", "加分项", 10, ""])
    sheet.append(["d1", "维度一", "", "i3", "指标三", "", "", "否决项目", 5, "外星类"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("bad.xlsx", out.getvalue())


def test_import_errors_are_chinese_with_row_numbers_and_nothing_is_saved(org):
    with pytest.raises(ValidationError) as exc:
        services.import_table(actor=org.users["admin"], upload=bad_workbook())
    text = "\n".join(exc.value.messages)
    assert "星级得分率须满足" in text
    assert "季度星级至多晋升须为 1 到 4 的整数" in text
    assert "第 3 行：类型应为基础指标、专项指标、扣分项目或否决项目" in text
    assert "第 4 行" in text and "否决项目分值应为 0" in text and "适用支部类别无效：外星类" in text
    assert not ScoringTable.objects.filter(code="new-table").exists()


def test_import_refuses_a_file_that_is_not_a_workbook(org):
    with pytest.raises(ValidationError, match="无法读取该文件"):
        services.import_table(
            actor=org.users["admin"], upload=SimpleUploadedFile("x.xlsx", b"not a zip")
        )


@pytest.fixture
def staff_admin(org):
    user = org.users["admin"]
    user.is_staff = True
    user.save()
    return user


def test_admin_pages_for_the_administrator(client, org, staff_admin):
    client.force_login(staff_admin)
    assert client.get(reverse("admin:evaluation_scoringtable_changelist")).status_code == 200
    body = client.get(reverse("admin:evaluation_scoringtable_changelist")).content.decode()
    assert reverse("admin:evaluation_scoringtable_import") in body
    published = TableVersion.objects.get(table__code="six-good", number=1)
    shipped = TableVersion.objects.filter(table=published.table).count()
    page = client.get(reverse("admin:evaluation_tableversion_change", args=[published.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only
    response = client.get(reverse("admin:evaluation_tableversion_export", args=[published.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    response = client.post(
        reverse("admin:evaluation_scoringtable_import"),
        {"file": SimpleUploadedFile("t.xlsx", data)},
    )
    assert response.status_code == 302
    assert TableVersion.objects.filter(table=published.table, number=shipped + 1).exists()


def test_admin_action_copy_and_publish(client, org, staff_admin):
    client.force_login(staff_admin)
    published = TableVersion.objects.get(table__code="brand-five-forces", number=1)
    shipped = published.table.versions.count()  # v2 binds online rules (migration 0019)
    url = reverse("admin:evaluation_tableversion_changelist")
    client.post(url, {"action": "copy_as_new_version", "_selected_action": [published.pk]})
    draft = TableVersion.objects.get(table=published.table, number=shipped + 1)
    page = client.get(reverse("admin:evaluation_tableversion_change", args=[draft.pk]))
    assert 'name="_save"' in page.content.decode()  # drafts are editable
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published


def test_admin_is_closed_to_other_staff(client, org):
    reviewer = org.users["province_reviewer"]
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    assert client.get(reverse("admin:evaluation_tableversion_changelist")).status_code == 403
    assert client.get(reverse("admin:evaluation_scoringtable_import")).status_code == 403


def test_table_pages_show_the_rows(client, org):
    client.force_login(org.users["secretary"])
    version = TableVersion.objects.get(table__code="star-5521", number=1)
    body = client.get(reverse("evaluation:table", args=[version.pk])).content.decode()
    assert "发挥作用·产量（非公改制类）" in body and "否决项目" in body
    assert 'data-testid="table-export"' not in body
    client.force_login(org.users["admin"])
    body = client.get(reverse("evaluation:table", args=[version.pk])).content.decode()
    assert 'data-testid="table-export"' in body
