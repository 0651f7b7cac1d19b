"""A period's results as xlsx: one row per assessed unit of the exporter's subtree, one column
per indicator (reviewed score), per dimension, then totals, star, tier and ranks.

Memory stays flat however many branches, and the time stays close to that of the query:

- three queries (assessments, indicator scores, dimension scores) are streamed in the same
  order and merged row by row; they read plain values (`values_list`), not model objects,
  and hand the decimals to the writer as they come (no per-value conversion in Python);
- XlsxWriter in constant-memory mode writes each row to a temporary file as it comes: at
  100,000 branches × 43 columns it spends about half the time openpyxl's write-only mode
  does, which dominated the export (bench/evaluation.py)."""

import tempfile
import time
from collections.abc import Iterator
from itertools import groupby

import xlsxwriter
from django.utils.translation import gettext as _

from branches.models import BranchCategory, OrgUnit, UnitType
from common.formats import points

from .models import AssessmentScore, Dimension, DimensionScore, Indicator, Status
from .selectors.periods import scoped

CHUNK = 500
PROGRESS_STEP = 5
#: Progress is reported at least this often while rows are written, even when the percentage
#: has not moved: it is the running job's heartbeat (settings.JOB_LEASE_SECONDS is 180).
HEARTBEAT_SECONDS = 20
#: The assessment columns read per row, in this order.
FIELDS = (
    "pk",
    "unit__code",
    "unit__name",
    "unit__path",
    "category",
    "region__name",
    "status",
    "self_total",
    "bonus",
    "total",
    "max_total",
    "rate",
    "is_vetoed",
    "veto_reason",
    "star",
    "tier",
    "rank_category",
    "rank_region",
    "rank_province",
)


def _stream(queryset) -> Iterator[tuple[int, dict]]:
    """(assessment id, {column id: value}) from (assessment id, column id, value) rows
    ordered like the assessments."""
    rows = queryset.iterator(chunk_size=CHUNK * 4)
    for assessment_id, group in groupby(rows, key=lambda r: r[0]):
        yield assessment_id, {r[1]: r[2] for r in group}


class _Follower:
    """Walks a stream that holds the same assessments in the same order as the main query
    (some may have no rows): ask for each assessment id in turn."""

    def __init__(self, stream):
        self.stream = stream
        self.head = next(stream, None)

    def __call__(self, assessment_id) -> dict:
        if self.head is None or self.head[0] != assessment_id:
            return {}
        values = self.head[1]
        self.head = next(self.stream, None)
        return values


def _scores(model, ids, column: str, value: str):
    """A follower over `model`'s (assessment, column, value) rows."""
    order = ("assessment__unit__path", "assessment_id")
    rows = (
        model.objects.filter(assessment__in=ids)
        .order_by(*order)
        .values_list("assessment_id", column, value)
    )
    return _Follower(_stream(rows))


def _committees():
    """City/direct committee names by path (few rows)."""
    return dict(
        OrgUnit.objects.filter(unit_type__in=[UnitType.CITY, UnitType.DIRECT]).values_list(
            "path", "name"
        )
    )


def _header(indicators, dimensions) -> list[str]:
    return [
        _("组织编码"),
        _("组织名称"),
        _("所属党委"),
        _("支部类别"),
        _("片区"),
        _("状态"),
        *[f"{i.dimension.name}·{i.name}（{points(i.max_points)}）" for i in indicators],
        *[f"{_('维度')}·{d.name}" for d in dimensions],
        _("自评总分"),
        _("上级加分"),
        _("最终得分"),
        _("满分"),
        _("得分率(%)"),
        _("一票否决"),
        _("否决理由"),
        _("星级"),
        _("梯队"),
        _("类别排名"),
        _("片区排名"),
        _("全省排名"),
    ]


def exported_assessments(user, period):
    """The rows of the export: the period's assessments in `user`'s subtree, in tree order."""
    return scoped(user, period, period.assessments.all()).order_by("unit__path", "pk")


#: Excel's limit: rows per worksheet, the header included. XlsxWriter ignores a row written
#: past it (no error), so the export starts a new sheet before that.
XLSX_MAX_ROWS = 1_048_576


class Layout:
    """What every format of the export shares: the columns and their lookups, for `user`'s
    subtree of `period` (a few queries for the columns; the rows are streamed by `rows`)."""

    def __init__(self, user, period):
        version_id = period.table_version_id
        self.indicators = list(
            Indicator.objects.filter(dimension__version_id=version_id)
            .select_related("dimension")
            .order_by("dimension__sort_order", "dimension_id", "sort_order", "pk")
        )
        self.dimensions = list(
            Dimension.objects.filter(version_id=version_id).order_by("sort_order", "pk")
        )
        self.assessments = exported_assessments(user, period)
        self.header = _header(self.indicators, self.dimensions)
        self.categories = {k: str(v) for k, v in BranchCategory.choices}
        self.statuses = {k: str(v) for k, v in Status.choices}
        self.vetoed = _("是")

    def rows(self, *, progress=None, total=None) -> Iterator[list]:
        """The data rows in tree order, as the cells of the header's columns. `progress`: see
        results_workbook."""
        ids = self.assessments.values("pk")
        scores = _scores(AssessmentScore, ids, "indicator_id", "reviewed_score")
        dimension_scores = _scores(DimensionScore, ids, "dimension_id", "score")
        indicator_ids = [i.pk for i in self.indicators]
        dimension_ids = [d.pk for d in self.dimensions]
        committees = _committees()
        prefix = 2 * OrgUnit.steplen
        categories, statuses, vetoed = self.categories, self.statuses, self.vetoed
        if progress and total is None:
            total = self.assessments.count()
        reported, beat = 0, time.monotonic()
        rows = self.assessments.values_list(*FIELDS).iterator(chunk_size=CHUNK)
        for n, row in enumerate(rows, start=1):
            moved = total and n * 100 // total >= reported + PROGRESS_STEP
            if progress and (moved or time.monotonic() - beat > HEARTBEAT_SECONDS):
                reported, beat = max(reported, n * 100 // total if total else 0), time.monotonic()
                progress(min(reported, 99))  # 100 once the file is complete
            pk, code, name, path, category, region, status = row[:7]
            own = scores(pk)
            dims = dimension_scores(pk)
            yield [
                code,
                name,
                committees.get(path[:prefix], ""),
                categories.get(category, ""),
                region or "",
                statuses[status],
                *[own.get(i) for i in indicator_ids],
                *[dims.get(d) for d in dimension_ids],
                *row[7:12],  # self-assessed total, bonus, final total, maximum, rate
                vetoed if row[12] else "",
                *row[13:],  # veto reason, star, tier, the three ranks
            ]


def sheet_name(number: int) -> str:
    """考评结果, then 考评结果（2）, 考评结果（3）… for the sheets past Excel's row limit."""
    title = _("考评结果")
    return title if number == 1 else f"{title}（{number}）"


def results_workbook(
    user, period, *, progress=None, total=None, directory=None, max_rows=XLSX_MAX_ROWS
):
    """Write the period's results for `user`'s subtree to a temporary xlsx file (in
    `directory`, default the system's) and return it rewound (the caller stores or streams
    it, and closes it). `progress(percent)` is called as the rows are written, each time the
    percentage moves by at least PROGRESS_STEP or HEARTBEAT_SECONDS have passed (the job's
    lease, workflow.reaper), out of `total` rows (counted here when not given).

    A sheet holds at most `max_rows` rows (Excel's limit, the header included): the rows go on
    in a second sheet (考评结果（2）) with the same header, and so on, none dropped."""
    layout = Layout(user, period)
    out = tempfile.NamedTemporaryFile(suffix=".xlsx", dir=directory)  # noqa: SIM115 - the caller closes it
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,  # each row goes to disk once the next one starts
            "strings_to_formulas": False,  # a unit named "=…" stays text
            "strings_to_urls": False,
            "tmpdir": directory or tempfile.gettempdir(),
        },
    )
    bold = book.add_format({"bold": True})
    sheets = 0

    def new_sheet():
        nonlocal sheets
        sheets += 1
        sheet = book.add_worksheet(sheet_name(sheets))
        sheet.write_row(0, 0, layout.header, bold)
        sheet.freeze_panes(1, 2)
        return sheet

    sheet, line = new_sheet(), 0
    for cells in layout.rows(progress=progress, total=total):
        line += 1
        if line >= max_rows:  # this sheet is full: its last row is max_rows - 1
            sheet, line = new_sheet(), 1
        sheet.write_row(line, 0, cells)
    book.close()
    out.seek(0)
    return out
