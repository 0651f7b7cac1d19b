"""The printed ledger as a Word file: a cover, the roster, then one section per recorded
meeting (date, place, topic, host, recorder, attendance, minutes, resolutions, photos).

Memory stays flat with the number of records: records arrive one by one (`content.
record_pages`), and each photo is read from storage alone, downsized (`PRINT_PHOTO_SIDE`),
written to the job's temporary directory, and its image part in the package points at that
file (`_FileImagePart`) instead of holding the bytes: python-docx would otherwise keep every
image in memory until the file is saved. Only the document's XML grows with the records."""

import hashlib
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Pt
from PIL import Image, UnidentifiedImageError

from common.docx import portal_styles
from common.formats import local_datetime

from .content import Cover, RecordPage, RosterRow

#: Longest side of a printed photo, in pixels (about 8 cm wide at 250 dpi), and its quality.
PRINT_PHOTO_SIDE = 800
PRINT_PHOTO_QUALITY = 70
PHOTO_WIDTH = Cm(7.5)

#: Characters XML 1.0 cannot hold (a pasted control character would break the file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ROSTER_COLUMNS = (
    ("name", _lazy("姓名")),
    ("gender", _lazy("性别")),
    ("birth", _lazy("出生年月")),
    ("education", _lazy("学历")),
    ("joined", _lazy("入党日期")),
    ("full_member", _lazy("转正日期")),
    ("status", _lazy("党员状态")),
    ("group", _lazy("党小组")),
    ("post", _lazy("岗位")),
    ("phone", _lazy("手机号码")),
)


def _text(value) -> str:
    return _NOT_XML.sub("", str(value or ""))


class _FileImagePart(ImagePart):
    """An image part whose bytes stay in a file until the package is written."""

    @property
    def blob(self):
        return Path(self._path).read_bytes()

    @property
    def sha1(self):
        return self._sha1


def _spool(part: ImagePart, path: Path) -> None:
    # python-docx matches image parts by SHA-1 (to reuse a repeated image), not for security
    part._sha1 = hashlib.sha1(part._blob, usedforsecurity=False).hexdigest()
    part._path = str(path)
    part._blob = None
    part._image = None
    part.__class__ = _FileImagePart


class LedgerWriter:
    """Writes one ledger; `add_record` per meeting, then `save`."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.doc = Document()
        page = self.doc.sections[0]
        page.left_margin = page.right_margin = Cm(2)
        portal_styles(self.doc)
        self.records = 0
        self.photos = 0
        ids = [int(i) for i in self.doc.element.body.xpath("//@id") if i.isdigit()]
        self._next_shape_id = max(ids, default=0) + 1

    # --- cover and roster ------------------------------------------------------------------

    def cover(self, cover: Cover, *, generated: str) -> None:
        doc = self.doc
        for _i in range(6):
            doc.add_paragraph()
        title = doc.add_paragraph(_text(cover.branch), style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = sub.add_run(_("%(period)s工作台账") % {"period": cover.period})
        run.font.size = Pt(20)
        run.bold = True
        for _i in range(8):
            doc.add_paragraph()
        lines = [
            (_("党支部"), cover.branch),
            (_("上级党组织"), cover.parent or "—"),
            (_("台账期间"), cover.period),
            (_("支部书记"), "、".join(cover.secretaries) or "—"),
            (_("生成时间"), generated),
        ]
        for label, value in lines:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(f"{label}：").bold = True
            p.add_run(_text(value))
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def roster(self, rows: list[RosterRow]) -> None:
        doc = self.doc
        doc.add_heading(_("党员名册"), level=1)
        note = doc.add_paragraph(
            _("在册党员 %(n)d 名。手机号码已隐去中间四位。") % {"n": len(rows)}
        )
        note.runs[0].font.size = Pt(9)
        if not rows:
            return
        table = doc.add_table(rows=1, cols=len(ROSTER_COLUMNS) + 1)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0].cells
        header[0].text = _("序号")
        for cell, (_key, label) in zip(header[1:], ROSTER_COLUMNS, strict=True):
            cell.text = str(label)
        for index, row in enumerate(rows, start=1):
            cells = table.add_row().cells
            cells[0].text = str(index)
            for cell, (key, _label) in zip(cells[1:], ROSTER_COLUMNS, strict=True):
                cell.text = _text(getattr(row, key))
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(_("会议记录"), level=1)

    # --- records ---------------------------------------------------------------------------

    def add_record(self, page: RecordPage) -> None:
        doc = self.doc
        self.records += 1
        held = local_datetime(page.held_at)
        doc.add_heading(f"{self.records}. {_text(page.title)}（{held[:10]}）", level=2)
        listed = len(page.present) + len(page.leave) + len(page.absent)
        leave = "；".join(f"{name}（{reason}）" for name, reason in page.leave)
        rows = [
            (_("会议时间"), held),
            (_("会议地点"), page.place),
            (_("党小组"), page.group) if page.group else None,
            (_("会议议题"), page.topic),
            (_("主持人"), page.host),
            (_("记录人"), page.recorder),
            (
                _("出席情况"),
                _("应到 %(n)d 人，实到 %(p)d 人，请假 %(l)d 人，缺席 %(a)d 人")
                % {
                    "n": listed,
                    "p": len(page.present),
                    "l": len(page.leave),
                    "a": len(page.absent),
                },
            ),
            (_("出席人员"), "、".join(page.present)),
            (_("请假人员"), leave),
            (_("缺席人员"), "、".join(page.absent)),
            (_("会议记录"), page.minutes),
            (_("会议决议"), page.resolutions),
        ]
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for row in filter(None, rows):
            label, value = row
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(3), Cm(14)
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = _text(value) or "—"
        if page.photos:
            doc.add_paragraph(_("会议照片（%(n)d 张）") % {"n": len(page.photos)})
            paragraph = doc.add_paragraph()
            for name in page.photos:
                self._photo(paragraph, name)

    def _photo(self, paragraph, name: str) -> None:
        """One photo: read from storage alone, downsized into the work directory, placed."""
        try:
            with default_storage.open(name, "rb") as fh, Image.open(fh) as image:
                image.thumbnail((PRINT_PHOTO_SIDE, PRINT_PHOTO_SIDE))
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=PRINT_PHOTO_QUALITY)
        except (FileNotFoundError, UnidentifiedImageError, OSError):
            paragraph.add_run(_("［照片缺失］"))
            return
        self.photos += 1
        path = self.workdir / f"photo-{self.photos}.jpg"
        path.write_bytes(out.getvalue())
        del out
        part_of_doc = self.doc.part
        r_id, image = part_of_doc.get_or_add_image(str(path))
        cx, cy = image.scaled_dimensions(PHOTO_WIDTH, None)
        inline = CT_Inline.new_pic_inline(self._next_shape_id, r_id, path.name, cx, cy)
        self._next_shape_id += 1
        _spool(part_of_doc.related_parts[r_id], path)
        run = paragraph.add_run()
        run._r.add_drawing(inline)
        run.add_text(" ")

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def write_ledger(
    path: Path,
    workdir: Path,
    *,
    cover: Cover,
    generated: str,
    roster: list[RosterRow],
    records: Iterable[RecordPage],
    total: int,
    progress: Callable[[int], None] = lambda p: None,
) -> LedgerWriter:
    """Write the whole ledger to `path`; `progress` hears 10–90 % as records are written."""
    writer = LedgerWriter(workdir)
    writer.cover(cover, generated=generated)
    writer.roster(roster)
    progress(10)
    for page in records:
        writer.add_record(page)
        progress(10 + 80 * writer.records // max(total, 1))
    if not writer.records:
        writer.doc.add_paragraph(_("本期没有已记录的会议。"))
    writer.save(path)
    return writer
