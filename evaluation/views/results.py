from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from branches.models import OrgUnit
from common.uploads import FileMissing, files_missing, open_stored
from workflow.models import JobStatus

from .. import charts
from ..forms import RankingFilterForm
from ..models import PeriodKind, ResultsExport, ScoringTable
from ..selectors import periods as period_selectors
from ..selectors import results as selectors
from ..selectors.ranks import rank_views
from ..services import exports as export_services
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
@require_http_methods(["GET", "POST"])
def export(request, pk):
    """The user's export of the period's results (their subtree): its progress, polled by
    htmx while it runs, the download once done; POST (re)generates it in the background."""
    period = get_period(request, pk, "evaluation.export_results")
    if request.method == "POST":
        export, queued = export_services.request_export(actor=request.user, period=period)
        export.refresh_from_db()
        if not queued:
            messages.info(request, _("导出文件正在生成中，请稍候。"))
        elif export.status == JobStatus.FAILED:
            messages.error(request, export.error)
        elif export.error:  # the broker was away: kept, sent later (workflow.outbox)
            messages.info(request, export.error)
        elif export.status != JobStatus.DONE:
            messages.success(request, _("已开始生成导出文件，完成后即可下载。"))
        return redirect("evaluation:export", period.pk)
    return _export_page(request, period, "evaluation/export.html")


@login_required
@require_GET
def export_progress(request, pk):
    """The progress fragment, polled every second while the export is queued or running;
    once it is done or failed the fragment has no trigger and polling stops."""
    period = get_period(request, pk, "evaluation.export_results")
    return _export_page(request, period, "evaluation/_export_progress.html")


def _export_page(request, period, template):
    export = ResultsExport.objects.filter(period=period, requested_by=request.user).first()
    # a finished export whose file has vanished from the storage is not "已完成"
    missing = export is not None and export.status == JobStatus.DONE and files_missing(export.file)
    return render(request, template, {"period": period, "export": export, "files_missing": missing})


@login_required
@require_GET
def export_download(request, pk):
    period = get_period(request, pk, "evaluation.export_results")
    export = get_object_or_404(ResultsExport, period=period, requested_by=request.user)
    if not export.file.name:
        raise Http404(_("导出文件尚未生成，或正在更新，请稍后重试。"))
    try:
        handle = open_stored(export.file)
    except FileMissing:
        # Replaced by a new export between reading the row and opening the file: the row now
        # names the new file. The same name again: the file is gone ("文件已丢失").
        named = export.file.name
        export.refresh_from_db()
        if export.file.name in ("", named):
            raise
        handle = open_stored(export.file)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("%(name)s-考评结果.xlsx") % {"name": period.name},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def export_csv(request, pk):
    """The same export as CSV, streamed straight away (no background job: at the speed of the
    query, and no sheet limit); audited per download."""
    period = get_period(request, pk, "evaluation.export_results")
    chunks = export_services.csv_download(actor=request.user, period=period)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(name)s-考评结果.csv") % {"name": period.name}
    )
    return response


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
            "ranks": rank_views(request.user, rows),
            "chart": chart,
            "kinds": kinds,
            "kind": kind,
        },
    )
