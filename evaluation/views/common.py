from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common import pagination

from ..models import Assessment, AssessmentPeriod

PAGE_SIZE = 30


def paginate(request, queryset, size=PAGE_SIZE, **options):
    """The portal's bounded pagination (common.pagination) at this app's page size."""
    return pagination.paginate(request, queryset, size, **options)


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
            "unit", "region", "period", "period__table_version__table"
        ),
        pk=pk,
    )
    require(request.user, perm, assessment)
    return assessment
