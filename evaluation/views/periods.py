from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import error_text
from workflow.views import attempt

from ..forms import (
    AssessmentFilterForm,
    PeriodFilterForm,
    PeriodForm,
    PublishForm,
    RescheduleForm,
)
from ..models import Status
from ..selectors import periods as selectors
from ..selectors.ranks import rank_views
from ..services import periods as services
from ..windows import fill_phase
from .common import get_period, paginate, require


@login_required
def index(request):
    """考核评价: the secretary's to-do first, then the periods in the user's scope with their
    progress (one aggregate query for the page)."""
    user = request.user
    form = PeriodFilterForm(request.GET or None)
    periods = selectors.filter_periods(selectors.periods_visible_to(user), **form.filters())
    page, query = paginate(request, periods)
    own = list(selectors.own_assessments(user)[:50])
    for assessment in own:
        assessment.fill_phase = fill_phase(assessment.period)
    return render(
        request,
        "evaluation/index.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "progress": selectors.progress_by_period(user, page.object_list),
            "own": own,
            "queue_count": selectors.review_queue(user).count()
            if user.has_perm("evaluation.view_review_queue")
            else None,
            "can_manage": user.has_perm("evaluation.manage_periods"),
            "has_role": user.has_perm("evaluation.use"),
        },
    )


@login_required
def detail(request, pk):
    period = get_period(request, pk)
    user = request.user
    form = AssessmentFilterForm(
        request.GET or None, committees=selectors.committees_visible_to(user)
    )
    filters = form.filters()
    rows = selectors.filter_assessments(
        selectors.assessments_in(user, period).order_by("unit__path"), **filters
    )
    progress = selectors.progress_by_period(user, [period.pk]).get(period.pk, {})
    page, query = paginate(request, rows, count=None if filters else progress.get("total", 0))
    units = [] if period.is_aggregate else selectors.publishing_units(user, period)
    return render(
        request,
        "evaluation/period_detail.html",
        {
            "period": period,
            "form": form,
            "page": page,
            "query": query,
            "progress": progress,
            "statuses": [(s, label, progress.get(s, 0)) for s, label in Status.choices],
            "phase": fill_phase(period),
            "ranks": rank_views(user, page.object_list),
            "publish_form": PublishForm(units=units) if units else None,
            "publications": selectors.publications(period),
            "sources": period.sources.order_by("starts_on") if period.is_aggregate else [],
            "can_manage": user.has_perm("evaluation.manage_periods"),
            "can_rank": user.has_perm("evaluation.view_rankings"),
            "can_export": user.has_perm("evaluation.export_results"),
            "reviewer_view": user.has_perm("evaluation.view_review_queue"),
        },
    )


@login_required
def create(request):
    require(request.user, "evaluation.manage_periods")
    form = PeriodForm(request.POST or None, scopes=selectors.period_scopes(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            if period.is_aggregate:
                text = _("汇总周期已创建，来源周期 %(n)d 个。") % {"n": period.sources.count()}
            else:
                text = _("考评周期已创建，共 %(n)d 个考评对象。") % {
                    "n": period.assessments.count()
                }
            messages.success(request, text)
            return redirect("evaluation:period", period.pk)
    return render(request, "evaluation/period_form.html", {"form": form, "period": None})


@login_required
def edit(request, pk):
    period = get_period(request, pk, "evaluation.manage_periods")
    form = RescheduleForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_period(actor=request.user, pk=period.pk, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("考评周期已更新。"))
            return redirect("evaluation:period", period.pk)
    return render(request, "evaluation/period_form.html", {"form": form, "period": period})


@login_required
@require_POST
def publish(request, pk):
    period = get_period(request, pk)
    form = PublishForm(request.POST, units=selectors.publishing_units(request.user, period))
    if not form.is_valid():
        raise PermissionDenied  # not a unit this user publishes for
    published = attempt(
        request, services.publish, actor=request.user, pk=period.pk, unit=form.cleaned_data["unit"]
    )
    if published:
        n = published.value
        messages.success(request, _("已发布 %(n)d 份考评结果，排名已更新。") % {"n": n})
    return redirect("evaluation:period", period.pk)


@login_required
@require_POST
def aggregate(request, pk):
    period = get_period(request, pk, "evaluation.manage_periods")
    aggregated = attempt(request, services.aggregate, actor=request.user, pk=period.pk)
    if aggregated:
        n = aggregated.value
        messages.success(request, _("汇总完成：%(n)d 个单位的结果已生成并发布。") % {"n": n})
    return redirect("evaluation:period", period.pk)
