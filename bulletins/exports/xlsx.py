"""The Excel file: a cover sheet, then one sheet per table with a frozen header row, number
formats per column kind and, on the coverage sheet, a native bar chart of coverage by
committee. Written with openpyxl's write-only workbook: rows go to disk as they come, so memory
stays flat however many items the province has."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tables import Section, Table, cover_lines, title_of

FORMATS = {
    "int": "#,##0",
    "rate": "0.0%",
    "score": "0.00",
    "days": "0",
    "datetime": "yyyy-mm-dd hh:mm",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")
TOTAL_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, color="666666")
TITLE_FONT = Font(bold=True, size=16, color="B22222")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        # Excel has no time zones: local (Asia/Shanghai) wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class _Cells:
    """Cell factory for one sheet; the styled cells of a kind share one style."""

    def __init__(self, ws, columns):
        self.ws = ws
        self.formats = [FORMATS.get(c.kind) for c in columns]

    def header(self, columns):
        cells = []
        for c in columns:
            cell = WriteOnlyCell(self.ws, value=c.label)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cells.append(cell)
        return cells

    def row(self, values, font=None):
        cells = []
        for value, fmt in zip(values, self.formats, strict=False):
            value = _plain(value)
            if fmt is None and font is None:
                cells.append(value)  # a plain value is the cheapest cell to write
                continue
            cell = WriteOnlyCell(self.ws, value=value)
            if fmt is not None:
                cell.number_format = fmt
            if font is not None:
                cell.font = font
            cells.append(cell)
        return cells

    def note(self, text):
        cell = WriteOnlyCell(self.ws, value=text)
        cell.font = NOTE_FONT
        return [cell]


def _cover(wb, data, sections):
    ws = wb.create_sheet(_("封面"))
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60
    title = WriteOnlyCell(ws, value=title_of(data))
    title.font = TITLE_FONT
    ws.append([title])
    ws.append([])
    for label, value in cover_lines(data):
        key = WriteOnlyCell(ws, value=label)
        key.font = TOTAL_FONT
        ws.append([key, value])
    ws.append([])
    contents = WriteOnlyCell(ws, value=_("目录"))
    contents.font = TOTAL_FONT
    ws.append([contents])
    for section in sections:
        ws.append([section.title, _("、").join(t.sheet for t in section.tables)])


def _coverage_chart(ws, table: Table, count: int):
    """Bars of the coverage and build rates per committee (rows 2…count+1, columns D and G)."""
    chart = BarChart()
    chart.type = "col"
    chart.title = table.title
    chart.y_axis.title = _("比率")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.x_axis.delete = False  # openpyxl ≥ 3.1 hides axes unless told
    chart.y_axis.delete = False
    chart.height, chart.width = 9, max(16, 1.6 * count)
    categories = Reference(ws, min_col=1, min_row=2, max_row=count + 1)
    for col in (4, 7):  # 创建覆盖率, 建成率
        chart.add_data(
            Reference(ws, min_col=col, min_row=1, max_row=count + 1), titles_from_data=True
        )
    chart.set_categories(categories)
    ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}2")


def _table_sheet(wb, table: Table):
    ws = wb.create_sheet(table.sheet[:31])
    for i, column in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    cells = _Cells(ws, table.columns)
    ws.append(cells.header(table.columns))
    count = 0
    for values in table.rows():
        ws.append(cells.row(values))
        count += 1
    if not count and table.empty_text:
        ws.append(cells.note(table.empty_text))
    if table.total is not None and count:
        ws.append(cells.row(table.total, font=TOTAL_FONT))
    if table.note:
        ws.append([])
        ws.append(cells.note(table.note))
    if table.chart and count:
        _coverage_chart(ws, table, count)
    return count


def write_xlsx(data, sections: list[Section], path) -> None:
    wb = Workbook(write_only=True)
    _cover(wb, data, sections)
    for section in sections:
        for table in section.tables:
            _table_sheet(wb, table)
    wb.save(path)
