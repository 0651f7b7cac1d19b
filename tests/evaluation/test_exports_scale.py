"""The results export at any size: the xlsx goes on in another sheet past Excel's row limit
(tested with a small injected limit), and the CSV (COPY on PostgreSQL, Python's csv writer
elsewhere) gives the same rows and columns, streamed, permission-checked and audited."""

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import exports, exports_csv
from evaluation.models import Assessment
from tests.factories import OrgUnitFactory
from workflow.models import AuditEntry

from .conftest import publish_all

pytestmark = pytest.mark.django_db


def sheets_of(out) -> list[tuple[str, list[tuple]]]:
    book = load_workbook(out, read_only=True)
    return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]


def cell(value) -> object:
    """A cell compared across formats: numbers by value ("9.50" == 9.5), empty as ""."""
    if value is None or value == "":
        return ""
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(exports_csv.BOM)
    return list(csv.reader(io.StringIO(data[len(exports_csv.BOM) :].decode("utf-8"))))


def test_past_the_row_limit_the_rows_go_on_in_another_sheet_with_the_header(org, period):
    publish_all(org, period)
    user = org.users["province_reviewer"]
    with exports.results_workbook(user, period) as out:
        [(title, whole)] = sheets_of(out)
    assert title == "考评结果" and [r[0] for r in whole[1:]] == ["A1", "A2", "B1"]
    # a sheet of 3 rows: the header and two results, then the third result on sheet 2
    with exports.results_workbook(user, period, max_rows=3) as out:
        split = sheets_of(out)
    assert [t for t, _rows in split] == ["考评结果", "考评结果（2）"]
    assert [len(rows) for _t, rows in split] == [3, 2]
    assert all(rows[0] == whole[0] for _t, rows in split)
    assert [r for _t, rows in split for r in rows[1:]] == whole[1:]  # none dropped, in order
    with exports.results_workbook(user, period, max_rows=2) as out:
        split = sheets_of(out)
    assert [len(rows) for _t, rows in split] == [2, 2, 2]
    assert [r for _t, rows in split for r in rows[1:]] == whole[1:]


def test_exactly_full_sheets_add_no_empty_sheet(org, period):
    publish_all(org, period)
    with exports.results_workbook(org.users["province_reviewer"], period, max_rows=4) as out:
        assert [len(rows) for _t, rows in sheets_of(out)] == [4]


def test_the_csv_has_the_xlsx_rows_and_columns(client, org, period):
    publish_all(org, period, {"A1": Decimal("0.9"), "A2": Decimal("0.8"), "B1": Decimal("0")})
    Assessment.objects.filter(unit=org.b1).update(veto_reason='否决,"引号"')
    user = org.users["province_reviewer"]
    with exports.results_workbook(user, period) as out:
        [(_title, xlsx)] = sheets_of(out)
    client.force_login(user)
    response = client.get(reverse("evaluation:export_csv", args=[period.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    rows = csv_rows(b"".join(response.streaming_content))
    assert rows[0] == list(xlsx[0])  # the same header
    assert [[cell(v) for v in r] for r in rows[1:]] == [[cell(v) for v in r] for r in xlsx[1:]]
    b1 = dict(zip(rows[0], rows[3], strict=True))
    assert b1["否决理由"] == '否决,"引号"' and b1["所属党委"] == "乙市分公司党委"


def test_the_csv_is_scoped_audited_and_refused_outside_the_permission(client, org, period):
    publish_all(org, period)
    client.force_login(org.rev_b)  # city B: B1 only
    url = reverse("evaluation:export_csv", args=[period.pk])
    rows = csv_rows(b"".join(client.get(url).streaming_content))
    assert [r[0] for r in rows[1:]] == ["B1"]
    entry = AuditEntry.objects.get(action="export_results_csv")
    assert entry.actor == org.rev_b and entry.object_id == period.pk
    client.force_login(org.users["secretary"])
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(action="export_results_csv").count() == 1


def test_the_export_page_offers_the_csv(client, org, period):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("evaluation:export", args=[period.pk])).content.decode()
    assert reverse("evaluation:export_csv", args=[period.pk]) in body


def test_the_csv_reads_with_a_constant_number_of_queries(
    org, period, django_assert_max_num_queries
):
    publish_all(org, period)
    user = org.users["province_reviewer"]
    user.role_assignments  # noqa: B018 -- loaded once per request

    def read():
        return b"".join(exports_csv.results_csv(user, period))

    with django_assert_max_num_queries(6) as few:
        read()
    for i in range(30):
        unit = OrgUnitFactory(parent=org.city_b, code=f"C{i}", category="market")
        Assessment.objects.create(period=period, unit=unit, category="market")
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = read()
    assert len(csv_rows(data)) == 1 + 3 + 30


def test_points_and_rates_are_numbers_written_as_people_write_them(org, period):
    """Item 4 of the pages issue, in the XLSX: a column's maximum reads "（50）", never
    "（5E+1）"; every score, total and rate is a number cell (Excel sums and sorts it), equal to
    the stored figure, whole points as whole numbers."""
    publish_all(org, period, {"A1": Decimal("1"), "A2": Decimal("0.5"), "B1": Decimal("0.75")})
    with exports.results_workbook(org.users["province_reviewer"], period) as out:
        [(_title, rows)] = sheets_of(out)
    header, data = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert not [h for h in header if "E+" in str(h)]
    maxima = [h for h in header if h.endswith("）") and "·" in h and "（" in h]
    assert maxima and all(h.rsplit("（", 1)[1][:-1].replace(".", "").isdigit() for h in maxima)
    for code in ("A1", "A2", "B1"):
        stored = Assessment.objects.get(period=period, unit__code=code)
        row = data[code]
        for column, value in (
            ("最终得分", stored.total),
            ("满分", stored.max_total),
            ("得分率(%)", stored.rate),
        ):
            assert isinstance(row[column], int | float), (code, column, row[column])
            assert Decimal(str(row[column])) == value, (code, column)
    assert data["A1"]["满分"] == int(data["A1"]["满分"])  # a whole maximum, e.g. 100, not 1E+2
