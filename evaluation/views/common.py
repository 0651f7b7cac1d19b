from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import Assessment, AssessmentPeriod

PAGE_SIZE = 30


def error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or _("您没有权限执行此操作。")


def paginate(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def get_period(request, pk, *perms):
    period = get_object_or_404(
        AssessmentPeriod.objects.select_related("table_version__table", "scope"), pk=pk
    )
    for perm in ("evaluation.view_period", *perms):
        require(request.user, perm, period if perm == "evaluation.view_period" else None)
    return period


def get_assessment(request, pk, perm="evaluation.read_assessment"):
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "unit", "region", "period", "period__table_version__table", "period__scope"
        ),
        pk=pk,
    )
    require(request.user, perm, assessment)
    return assessment
