"""A period's results as xlsx: one row per assessed unit of the exporter's subtree, one column
per indicator (reviewed score), per dimension, then totals, star, tier and ranks.

Memory stays flat however many branches: the workbook is write-only (rows go straight to a
temporary file) and the three queries (assessments, indicator scores, dimension scores) are
streamed in the same order and merged row by row."""

import tempfile
from collections.abc import Iterator
from itertools import groupby

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from branches.models import BranchCategory, OrgUnit, UnitType
from branches.selectors import scope_filter

from .models import AssessmentScore, Dimension, DimensionScore, Indicator, Status

CHUNK = 500


def _stream(queryset, key_index=0) -> Iterator[tuple[int, dict]]:
    """(assessment id, {column id: value}) from rows ordered like the assessments."""
    rows = queryset.iterator(chunk_size=CHUNK * 4)
    for assessment_id, group in groupby(rows, key=lambda r: r[key_index]):
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


def _committees():
    """City/direct committee names by path (few rows)."""
    return dict(
        OrgUnit.objects.filter(unit_type__in=[UnitType.CITY, UnitType.DIRECT]).values_list(
            "path", "name"
        )
    )


def results_workbook(user, period):
    """Write the period's results for `user`'s subtree to a temporary xlsx file and return it
    rewound (the caller streams it with a FileResponse, which closes it)."""
    version_id = period.table_version_id
    indicators = list(
        Indicator.objects.filter(dimension__version_id=version_id)
        .select_related("dimension")
        .order_by("dimension__sort_order", "dimension_id", "sort_order", "pk")
    )
    dimensions = list(Dimension.objects.filter(version_id=version_id).order_by("sort_order", "pk"))
    assessments = (
        scope_filter(period.assessments.all(), user)
        .select_related("unit", "region")
        .order_by("unit__path", "pk")
    )
    ids = assessments.values("pk")
    order = ("assessment__unit__path", "assessment_id")
    scores = _Follower(
        _stream(
            AssessmentScore.objects.filter(assessment__in=ids)
            .order_by(*order)
            .values_list("assessment_id", "indicator_id", "reviewed_score")
        )
    )
    dimension_scores = _Follower(
        _stream(
            DimensionScore.objects.filter(assessment__in=ids)
            .order_by(*order)
            .values_list("assessment_id", "dimension_id", "score")
        )
    )
    committees = _committees()
    step = OrgUnit.steplen
    categories = dict(BranchCategory.choices)
    statuses = dict(Status.choices)

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("考评结果"))
    bold = Font(bold=True)
    header = [
        _("组织编码"),
        _("组织名称"),
        _("所属党委"),
        _("支部类别"),
        _("片区"),
        _("状态"),
        *[f"{i.dimension.name}·{i.name}（{i.max_points.normalize():f}）" for i in indicators],
        *[f"{_('维度')}·{d.name}" for d in dimensions],
        _("自评总分"),
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
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    sheet.freeze_panes = "C2"

    def number(value):
        return None if value is None else float(value)

    for a in assessments.iterator(chunk_size=CHUNK):
        own = scores(a.pk)
        dims = dimension_scores(a.pk)
        committee = committees.get(a.unit.path[: 2 * step], "")
        sheet.append(
            [
                a.unit.code,
                a.unit.name,
                committee,
                str(categories.get(a.category, "")),
                a.region.name if a.region else "",
                str(statuses[a.status]),
                *[number(own.get(i.pk)) for i in indicators],
                *[number(dims.get(d.pk)) for d in dimensions],
                number(a.self_total),
                number(a.total),
                number(a.max_total),
                number(a.rate),
                _("是") if a.is_vetoed else "",
                a.veto_reason,
                a.star,
                a.tier,
                a.rank_category,
                a.rank_region,
                a.rank_province,
            ]
        )
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(out)
    out.seek(0)
    return out
