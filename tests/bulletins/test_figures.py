"""The figures in the generated files equal an independent count.

Each expected figure is computed here with raw SQL through `connection.cursor()` — not with the
ORM code under test — and compared with what the XLSX (openpyxl) and the DOCX (python-docx)
say. The province's bulletin shows every committee; a city's only its own subtree."""

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.dateparse import parse_datetime

from brands.models import BrandApplication
from bulletins import selectors, services
from bulletins.models import Bulletin, BulletinStatus

pytestmark = pytest.mark.smoke


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def db_time(value):
    return connection.ops.adapt_datetimefield_value(value)


def as_datetime(value):
    """A raw SQL datetime: PostgreSQL gives an aware datetime, SQLite a naive UTC one (or a
    string, for an expression)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def coverage_sql(prefix):
    rows = sql(
        "SELECT c.name, COUNT(*),"
        " SUM(CASE WHEN EXISTS (SELECT 1 FROM brands_brandapplication a"
        "   WHERE a.unit_id = u.id AND a.status IN"
        "   ('in_review', 'returned', 'implementing', 'acceptance', 'built')) THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN EXISTS (SELECT 1 FROM brands_brandapplication a"
        "   WHERE a.unit_id = u.id AND a.status = 'built') THEN 1 ELSE 0 END)"
        " FROM branches_orgunit u JOIN branches_orgunit c ON c.path = SUBSTR(u.path, 1, 8)"
        " WHERE u.unit_type = 'branch' AND u.is_active = %s AND u.path LIKE %s"
        " GROUP BY c.name",
        [True, f"{prefix}%"],
    )
    return {name: (total, filed, built) for name, total, filed, built in rows}


def activity_sql(prefix, month):
    start, end = selectors.month_bounds(month)
    rows = sql(
        "SELECT c.name,"
        " SUM(CASE WHEN e.action = 'submit' AND e.from_state = 'draft' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.action = 'submit' AND e.from_state = 'returned' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.action = 'approve' AND e.to_state = 'implementing' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.action = 'return' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.action = 'reject' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.action = 'pass_acceptance' THEN 1 ELSE 0 END)"
        " FROM workflow_auditentry e JOIN branches_orgunit u ON u.id = e.unit_id"
        " JOIN branches_orgunit c ON c.path = SUBSTR(u.path, 1, 8)"
        " WHERE e.content_type_id = %s AND e.at >= %s AND e.at < %s AND u.path LIKE %s"
        " GROUP BY c.name",
        [
            ContentType.objects.get_for_model(BrandApplication).pk,
            db_time(start),
            db_time(end),
            f"{prefix}%",
        ],
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def backlog_sql(prefix, as_of, days=15):
    rows = sql(
        "SELECT c.name,"
        " SUM(CASE WHEN a.status = 'returned' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN a.status = 'in_review' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN a.status = 'in_review' AND a.submitted_at <= %s THEN 1 ELSE 0 END),"
        " MIN(CASE WHEN a.status = 'in_review' THEN a.submitted_at END)"
        " FROM brands_brandapplication a JOIN branches_orgunit u ON u.id = a.unit_id"
        " JOIN branches_orgunit c ON c.path = SUBSTR(u.path, 1, 8)"
        " WHERE a.status IN ('returned', 'in_review') AND u.path LIKE %s GROUP BY c.name",
        [db_time(as_of - timedelta(days=days)), f"{prefix}%"],
    )
    return {
        name: (returned, in_review, overdue, (as_of - as_datetime(oldest)).days if oldest else 0)
        for name, returned, in_review, overdue, oldest in rows
    }


def backlog_items_sql(prefix, as_of, days=15):
    """unit name → waiting days: since the last return for returned applications, since the
    last submission for overdue ones."""
    rows = sql(
        "SELECT u.name, a.status, a.submitted_at,"
        " (SELECT MAX(e.at) FROM workflow_auditentry e WHERE e.content_type_id = %s"
        "   AND e.object_id = a.id AND e.action = 'return')"
        " FROM brands_brandapplication a JOIN branches_orgunit u ON u.id = a.unit_id"
        " WHERE u.path LIKE %s AND (a.status = 'returned'"
        "   OR (a.status = 'in_review' AND a.submitted_at <= %s))",
        [
            ContentType.objects.get_for_model(BrandApplication).pk,
            f"{prefix}%",
            db_time(as_of - timedelta(days=days)),
        ],
    )
    return {
        name: (as_of - as_datetime(returned_at if status == "returned" else submitted)).days
        for name, status, submitted, returned_at in rows
    }


def ranking_sql(prefix, period_id):
    rows = sql(
        "SELECT c.name, COUNT(*), AVG(s.total),"
        " SUM(CASE WHEN s.star = 5 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.star = 4 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.tier = 3 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.is_vetoed = %s THEN 1 ELSE 0 END)"
        " FROM evaluation_assessment s JOIN branches_orgunit u ON u.id = s.unit_id"
        " JOIN branches_orgunit c ON c.path = SUBSTR(u.path, 1, 8)"
        " WHERE s.period_id = %s AND s.status = 'published' AND u.path LIKE %s"
        " GROUP BY c.name",
        [True, period_id, f"{prefix}%"],
    )
    return {row[0]: row[1:] for row in rows}


# --- reading the files -----------------------------------------------------------------------


def sheet_rows(wb, name) -> list[tuple]:
    """The rows under the header, down to the first blank row."""
    rows = []
    for values in wb[name].iter_rows(min_row=2, values_only=True):
        if values[0] is None:
            break
        rows.append(values)
    return rows


def sheet(wb, name) -> dict[str, tuple]:
    """First column → the row's other values."""
    return {values[0]: values[1:] for values in sheet_rows(wb, name)}


def docx_rows(doc, *headers) -> list[list[str]]:
    for table in doc.tables:
        head = [cell.text for cell in table.rows[0].cells]
        if all(h in head for h in headers):
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table with {headers}")


def docx_table(doc, *headers) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in docx_rows(doc, *headers)}


def all_text(wb, doc) -> str:
    cells = [
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    ]
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(cells + paragraphs + tables)


def generated(scope, month, django_capture_on_commit_callbacks):
    bulletin = Bulletin.objects.create(month=month, scope=scope)
    with django_capture_on_commit_callbacks(execute=True):
        services.generate(bulletin.pk)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DONE, bulletin.error
    return bulletin


@pytest.fixture
def province_files(world, files, django_capture_on_commit_callbacks):
    bulletin = generated(world.org.province, world.month, django_capture_on_commit_callbacks)
    return bulletin, files(bulletin)


def percent(part, total):
    return f"{part * 100 / total:.1f}%"


def test_coverage_equals_sql_count_in_xlsx_and_docx(world, province_files):
    bulletin, f = province_files
    expected = coverage_sql(world.org.province.path)
    assert set(expected) == {"甲市分公司党委", "乙市分公司党委", "省公司直属机关党委"}
    xlsx = sheet(f.wb, "覆盖率")
    word = docx_table(f.doc, "创建覆盖率", "覆盖率目标")
    for name, (total, filed, built) in expected.items():
        row = xlsx[name]
        assert row[:2] == (total, filed)
        assert row[3:5] == (pytest.approx(0.7), built)
        # the cell holds the rate rounded (half-up) to the tenth of a percent it shows
        assert row[2] == pytest.approx(filed / total, abs=5e-4)
        assert row[5] == pytest.approx(built / total, abs=5e-4)
        assert word[name][:3] == [str(total), str(filed), percent(filed, total)]
        assert word[name][4:6] == [str(built), percent(built, total)]
    totals = [sum(v[i] for v in expected.values()) for i in range(3)]
    assert xlsx["全省合计"][:2] == tuple(totals[:2]) and xlsx["全省合计"][4] == totals[2]
    assert word["全省合计"][0] == str(totals[0])
    # Hand-checked: A5 is inactive; A4 is a draft; B1's rejected application does not count.
    assert expected["甲市分公司党委"] == (4, 3, 1)
    assert expected["乙市分公司党委"] == (3, 2, 0)
    assert xlsx["甲市分公司党委"][7] == "未达标" and xlsx["省公司直属机关党委"][7] == "达标"


def test_coverage_sheet_has_a_native_bar_chart_and_frozen_header(province_files):
    _bulletin, f = province_files
    ws = f.wb["覆盖率"]
    assert ws.freeze_panes == "A2"
    assert all(s.freeze_panes == "A2" for s in f.wb.worksheets[1:])
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.tagname == "barChart"
    assert len(chart.series) == 2
    assert ws["D2"].number_format == "0.0%" and ws["B2"].number_format == "#,##0"
    assert len(f.doc.inline_shapes) == 1  # the same chart, as an image, in the Word file


def test_month_activity_equals_sql_count(world, province_files):
    _bulletin, f = province_files
    expected = activity_sql(world.org.province.path, world.month)
    xlsx = sheet(f.wb, "本月申报与审批")
    word = docx_table(f.doc, "新提交申报", "审批立项")
    for name, counts in expected.items():
        assert xlsx[name] == counts
        assert word[name] == [str(n) for n in counts]
    # first, resubmitted, approved, returned, rejected, built — hand-checked once
    assert expected["甲市分公司党委"] == (2, 0, 1, 1, 0, 1)
    assert expected["乙市分公司党委"] == (1, 0, 0, 0, 1, 0)
    # its events were last month: the committee keeps its row, with zeros
    assert xlsx["省公司直属机关党委"] == (0, 0, 0, 0, 0, 0)
    assert word["省公司直属机关党委"] == ["0"] * 6


def test_returned_and_overdue_with_waiting_days_equal_sql(world, province_files):
    bulletin, f = province_files
    as_of = bulletin.generated_at
    expected = backlog_sql(world.org.province.path, as_of)
    xlsx = sheet(f.wb, "退回与逾期")
    word = docx_table(f.doc, "退回待修改", "审核中")
    for name, counts in expected.items():
        assert xlsx[name] == counts
        assert word[name] == [str(n) for n in counts]
    assert expected["甲市分公司党委"] == (1, 1, 1, 20)

    items = backlog_items_sql(world.org.province.path, as_of)
    detail = {row[1]: row[-1] for row in sheet_rows(f.wb, "退回逾期明细")}
    assert detail == items == {"甲市市场部党支部": 20, "甲市综合党支部": 4}
    word_detail = docx_rows(f.doc, "等待天数")
    assert sorted((row[1], row[-1]) for row in word_detail) == sorted(
        (unit, str(days)) for unit, days in items.items()
    )


def test_assessment_highlights_equal_sql(world, province_files):
    from evaluation.models import AssessmentPeriod

    _bulletin, f = province_files
    period = AssessmentPeriod.objects.get()
    expected = ranking_sql(world.org.province.path, period.pk)
    xlsx = sheet(f.wb, "考评排名")
    for name, (n, avg, star5, star4, tier3, vetoed) in expected.items():
        row = xlsx[name]
        assert row[0] == n
        assert Decimal(str(row[1])) == pytest.approx(Decimal(str(avg)))
        assert row[3:] == (star5, star4, tier3, vetoed)
    top = list(sheet(f.wb, "考评前十名").values())
    assert [r[1] for r in top] == [
        "甲市网络运维党支部",
        "乙市网络运维党支部",
        "甲市市场部党支部",
        "乙市营业党支部",
        "甲市综合党支部",
    ]  # by province rank; D1's unpublished result is left out
    assert period.name in all_text(f.wb, f.doc)


def test_cover_names_month_and_issuer(world, province_files):
    _bulletin, f = province_files
    cover = {row[0]: row[1] for row in f.wb["封面"].iter_rows(values_only=True) if row[0]}
    assert cover["通报月份"] == f"{world.month:%Y年%m月}"
    assert cover["发布单位"] == "省公司党委党建工作部"
    texts = [p.text for p in f.doc.paragraphs]
    assert texts.count("品牌建设工作月度通报") == 1
    assert f"{world.month:%Y年%m月}" in texts
    assert "发布单位：省公司党委党建工作部" in texts
    headings = [p.text for p in f.doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、品牌创建覆盖率",
        "二、本月新增申报与审批",
        "三、退回与逾期事项",
        "四、考核评价排名",
        "五、旗舰品牌创建进展",
        "六、组织生活按期开展情况",
    ]


def test_flagship_without_its_app_says_no_data(province_files):
    _bulletin, f = province_files
    assert list(f.wb["旗舰品牌"].iter_rows(values_only=True))[1] == ("本月无数据",)
    body = [p.text for p in f.doc.paragraphs]
    flagship = body.index("五、旗舰品牌创建进展")
    assert body[flagship + 1] == "本月无数据"


def test_city_bulletin_holds_only_its_own_subtree(world, files, django_capture_on_commit_callbacks):
    org = world.org
    bulletin = generated(org.city_a, world.month, django_capture_on_commit_callbacks)
    f = files(bulletin)
    assert set(sheet(f.wb, "覆盖率")) == {"甲市分公司党委", "甲市分公司党委合计"}
    assert (
        sheet(f.wb, "覆盖率")["甲市分公司党委"][:2]
        == coverage_sql(org.city_a.path)["甲市分公司党委"][:2]
    )
    assert (
        sheet(f.wb, "退回与逾期")["甲市分公司党委"]
        == backlog_sql(org.city_a.path, bulletin.generated_at)["甲市分公司党委"]
    )
    text = all_text(f.wb, f.doc)
    assert "甲市" in text
    for sibling in ("乙市", "直属机关"):
        assert sibling not in text


def test_province_bulletin_shows_every_city(world, province_files):
    _bulletin, f = province_files
    text = all_text(f.wb, f.doc)
    for name in ("甲市分公司党委", "乙市分公司党委", "省公司直属机关党委"):
        assert name in text


def test_a_month_without_anything_says_no_data(org, files, django_capture_on_commit_callbacks):
    """No periods, no flagship: those sections say 本月无数据. No applications is a count of
    0, not missing data: every committee keeps its row with zeros."""
    bulletin = generated(
        org.province, selectors.previous_month(), django_capture_on_commit_callbacks
    )
    f = files(bulletin)
    for name in ("考评排名", "考评前十名", "旗舰品牌"):
        assert list(f.wb[name].iter_rows(values_only=True))[1][0] == "本月无数据", name
    activity = sheet(f.wb, "本月申报与审批")
    for name in ("甲市分公司党委", "乙市分公司党委", "全省合计"):
        assert activity[name] == (0, 0, 0, 0, 0, 0), name
    backlog = sheet(f.wb, "退回与逾期")
    assert backlog["乙市分公司党委"] == (0, 0, 0, 0)
    word = docx_table(f.doc, "新提交申报", "审批立项")
    assert word["乙市分公司党委"] == ["0"] * 6
    assert sheet(f.wb, "覆盖率")["全省合计"][:2] == (3, 0)  # A1, A2, B1; nothing filed


def test_the_excel_list_names_the_longest_waiting_per_committee(
    world, files, settings, django_capture_on_commit_callbacks
):
    """With one item per committee, city A's list keeps A2 (20 days) over A3 (4 days); the
    counts stay complete and the note says where the full list is."""
    settings.BULLETIN_ITEMS_PER_COMMITTEE = 1
    bulletin = generated(world.org.province, world.month, django_capture_on_commit_callbacks)
    f = files(bulletin)
    listed = sheet_rows(f.wb, "退回逾期明细")
    assert [(row[1], row[-1]) for row in listed] == [("甲市市场部党支部", 20)]
    assert sheet(f.wb, "退回与逾期")["甲市分公司党委"][:3] == (1, 1, 1)
    notes = [
        row[0]
        for row in f.wb["退回逾期明细"].iter_rows(values_only=True)
        if row[0] and "共 2 项" in str(row[0])
    ]
    assert notes and "各党委列出等待最久的 1 项" in notes[0]


def test_assessment_totals_equal_sql_over_the_whole_scope(world, province_files):
    from evaluation.models import AssessmentPeriod

    _bulletin, f = province_files
    ((count, avg),) = sql(
        "SELECT COUNT(*), AVG(s.total) FROM evaluation_assessment s"
        " WHERE s.period_id = %s AND s.status = 'published'",
        [AssessmentPeriod.objects.get().pk],
    )
    total = sheet(f.wb, "考评排名")["全省合计"]
    assert total[0] == count == 5
    assert Decimal(str(total[1])) == pytest.approx(Decimal(str(avg)))


def flagship_world(world):
    """A flagship cycle covering the bulletin's month with candidacies in both cities (built
    with the flagship app's models as they stand; the section only needs unit, status, cycle
    and the honour flags)."""
    from flagship.models import Candidacy, FlagshipCycle

    year = world.month.year
    cycle = FlagshipCycle.objects.create(
        name=f"{year}—{year + 1}年度旗舰品牌评选",
        year_start=year,
        year_end=year + 1,
        phase="review",
        application_opens_on=date(year, 1, 1),
        application_closes_on=date(year, 2, 28),
        notice_starts_on=date(year, 3, 1),
        summary_deadline=date(year + 1, 9, 30),
        review_starts_on=date(year + 1, 10, 1),
        decision_deadline=date(year + 1, 12, 31),
        honour_expires_on=date(year + 3, 12, 31),
    )
    secretary = world.org.users["secretary"]
    for key, status, is_unit in (
        ("a1", "accepted", True),
        ("a3", "in_review", False),
        ("b2", "accepted", False),
        ("d1", "rejected", False),
    ):
        Candidacy.objects.create(
            cycle=cycle,
            unit=world.units[key],
            brand=world.apps[key],
            applicant=secretary,
            status=status,
            is_unit=is_unit,
        )
    return cycle


def flagship_sql(prefix, cycle_id):
    rows = sql(
        "SELECT c.name, COUNT(*),"
        " SUM(CASE WHEN f.status = 'accepted' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN f.is_unit = %s THEN 1 ELSE 0 END)"
        " FROM flagship_candidacy f JOIN branches_orgunit u ON u.id = f.unit_id"
        " JOIN branches_orgunit c ON c.path = SUBSTR(u.path, 1, 8)"
        " WHERE f.cycle_id = %s AND u.path LIKE %s GROUP BY c.name",
        [True, cycle_id, f"{prefix}%"],
    )
    return {name: (n, accepted, units) for name, n, accepted, units in rows}


def test_flagship_progress_equals_sql(world, files, django_capture_on_commit_callbacks):
    cycle = flagship_world(world)
    bulletin = generated(world.org.province, world.month, django_capture_on_commit_callbacks)
    f = files(bulletin)
    ws = f.wb["旗舰品牌"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    rows = sheet(f.wb, "旗舰品牌")
    expected = flagship_sql(world.org.province.path, cycle.pk)
    assert set(expected) == {"甲市分公司党委", "乙市分公司党委", "省公司直属机关党委"}
    for name, (n, accepted, units) in expected.items():
        row = dict(zip(header[1:], rows[name], strict=False))
        assert (row["申报合计"], row["已入围"], row["示范单位"]) == (n, accepted, units)
    assert dict(zip(header[1:], rows["全省合计"], strict=False))["申报合计"] == 4
    assert cycle.name in all_text(f.wb, f.doc)
    assert "评审阶段" in all_text(f.wb, f.doc)


def test_city_flagship_progress_holds_only_its_own(
    world, files, django_capture_on_commit_callbacks
):
    flagship_world(world)
    bulletin = generated(world.org.city_b, world.month, django_capture_on_commit_callbacks)
    rows = sheet(files(bulletin).wb, "旗舰品牌")
    assert set(rows) == {"乙市分公司党委", "乙市分公司党委合计"}
