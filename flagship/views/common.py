from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common import pagination

from ..models import Candidacy, FlagshipCycle

PAGE_SIZE = 30


def paginate(request, queryset, size=PAGE_SIZE):
    """The portal's bounded pagination (common.pagination) at this app's page size."""
    return pagination.paginate(request, queryset, size)


def get_cycle(pk, perm=None, user=None) -> FlagshipCycle:
    cycle = get_object_or_404(FlagshipCycle, pk=pk)
    if perm and not user.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


def get_candidacy(request, pk, perm="flagship.read_candidacy") -> Candidacy:
    candidacy = get_object_or_404(
        Candidacy.objects.select_related(
            "cycle", "unit", "unit__region", "applicant", "current_level", "brand"
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, candidacy):
        raise PermissionDenied
    return candidacy
