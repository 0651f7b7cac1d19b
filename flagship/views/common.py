from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import Candidacy, FlagshipCycle

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
