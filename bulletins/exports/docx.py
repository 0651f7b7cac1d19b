"""The Word file: a cover with the month and the issuer, then one chapter per section with
Chinese headings, tables and the coverage chart as an image. The returned/overdue list is a
shortlist here (the Excel file lists each committee's longest waiting), so it stays short."""

import io
from datetime import datetime
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from common.docx import portal_styles
from common.formats import local_datetime, percent

from .tables import Section, Table, cover_lines, month_label, title_of

TABLE_FONT_HALF_POINTS = 18  # 9 pt


def format_value(value, kind: str) -> str:
    if value is None:
        return "—" if kind != "text" else ""
    if kind == "int":
        return f"{int(value):,}"
    if kind == "rate":
        return percent(value)
    if kind == "score":
        return f"{Decimal(value):.2f}" if not isinstance(value, float) else f"{value:.2f}"
    if kind == "days":
        return str(value)
    if kind == "datetime" and isinstance(value, datetime):
        return local_datetime(value, "%Y-%m-%d")
    return str(value)


def _cover(doc, data):
    for _i in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(title_of(data), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    month = doc.add_paragraph()
    month.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = month.add_run(month_label(data.month))
    run.font.size = Pt(20)
    run.bold = True
    for _i in range(8):
        doc.add_paragraph()
    for label, value in cover_lines(data):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(f"{label}：").bold = True
        p.add_run(value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cell_xml(text: str, *, bold=False, right=False) -> str:
    align = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
    weight = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:p>{align}<w:r><w:rPr>{weight}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r></w:p></w:tc>'
    )


def _row_xml(cells: list[str]) -> str:
    return f"<w:tr {nsdecls('w')}>{''.join(cells)}</w:tr>"


def _table(doc, table: Table):
    """A table with a bold header row and a bold total row. Rows are appended as WordprocessingML
    (one small parse per row) rather than cell by cell through python-docx's object model,
    which costs a fifth of a millisecond per cell."""
    rows = list((table.docx_rows or table.rows)())
    if not rows:
        doc.add_paragraph(table.empty_text or _("本月无数据"))
        return 0
    grid = doc.add_table(rows=0, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = grid._tbl
    tbl.append(parse_xml(_row_xml([_cell_xml(c.label, bold=True) for c in table.columns])))
    lines = [(values, False) for values in rows]
    if table.total is not None:
        lines.append((table.total, True))
    for values, is_total in lines:
        cells = [
            _cell_xml(format_value(v, c.kind), bold=is_total, right=c.kind != "text")
            for v, c in zip(values, table.columns, strict=False)
        ]
        tbl.append(parse_xml(_row_xml(cells)))
    return len(rows)


def _note(doc, text):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(9)


def write_docx(data, sections: list[Section], chart_png: bytes | None, path) -> None:
    doc = Document()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.left_margin = page.right_margin = Cm(2)
    portal_styles(doc)
    _cover(doc, data)
    for section in sections:
        doc.add_heading(section.title, level=1)
        for table in section.tables:
            if len(section.tables) > 1:
                doc.add_heading(table.title, level=2)
            count = _table(doc, table)
            if table.chart and count:
                if chart_png:
                    doc.add_picture(io.BytesIO(chart_png), width=Cm(16))
                    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                else:
                    _note(doc, _("（图表未能生成，请参阅 Excel 文件中的图表。）"))
            note = table.docx_note or table.note
            if note and count:
                _note(doc, note)
    doc.save(path)
