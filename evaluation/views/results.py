from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from branches.models import OrgUnit

from .. import charts, exports
from ..forms import RankingFilterForm
from ..models import PeriodKind, ScoringTable
from ..selectors import periods as period_selectors
from ..selectors import results as selectors
from .common import get_assessment, get_period, paginate, require


@login_required
def rankings(request, pk):
    """Rankings within category, region and province-wide (ranks among all published results
    of the period), listed for the user's subtree."""
    period = get_period(request, pk, "evaluation.view_rankings")
    form = RankingFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.rankings(request.user, period, **filters)
    # unfiltered: as many rows as published results in scope, a figure the period page caches
    count = None if filters else period_selectors.published_count(request.user, period)
    page, query = paginate(request, rows, count=count, late_rows=True)
    return render(
        request,
        "evaluation/rankings.html",
        {"period": period, "form": form, "page": page, "query": query},
    )


@login_required
def export(request, pk):
    period = get_period(request, pk, "evaluation.export_results")
    workbook = exports.results_workbook(request.user, period)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=_("%(name)s-考评结果.xlsx") % {"name": period.name},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def radar(request, pk):
    assessment = get_assessment(request, pk, "evaluation.view_result")
    svg = charts.radar_svg(
        selectors.radar(assessment),
        title=_("%(unit)s · %(period)s 雷达图")
        % {"unit": assessment.unit, "period": assessment.period},
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
def trend(request, pk):
    """One unit's published results over periods, per table."""
    unit = get_object_or_404(OrgUnit.objects.select_related("region"), pk=pk)
    require(request.user, "evaluation.view_trend", unit)
    tables = list(selectors.tables_in_trend(unit))
    table = None
    if request.GET.get("table", "").isdigit():
        table = get_object_or_404(ScoringTable, pk=request.GET["table"])
    elif tables:
        table = tables[0]
    rows = list(selectors.trend(unit, table)) if table else []
    kinds = [k for k in PeriodKind if any(r.period.kind == k for r in rows)]
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else None
    kind = kind or (rows[-1].period.kind if rows else None)
    charted = [r for r in rows if r.period.kind == kind]
    chart = charts.trend_svg(
        [(r.period.name, r.total, r.max_total) for r in charted],
        title=_("%(unit)s 得分趋势") % {"unit": unit},
    )
    return render(
        request,
        "evaluation/trend.html",
        {
            "unit": unit,
            "tables": tables,
            "table": table,
            "rows": rows,
            "chart": chart,
            "kinds": kinds,
            "kind": kind,
        },
    )
