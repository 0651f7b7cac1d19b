"""The coverage dashboard (创建覆盖率 / 建成率) and its drill-down to the branches without a
brand. Anyone holding a role sees the figures of their own subtree: reviewers and the province
their committees, a secretary their own branch; members without a role see none (403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from branches.models import BranchCategory, OrgUnit
from branches.selectors import scope_paths
from common.pagination import paginate

from ..selectors import coverage as selectors

PAGE_SIZE = 30


def _require_scope(request):
    """Coverage is figures about a subtree, so it needs one: any role gives its unit's."""
    if not scope_paths(request.user):
        raise PermissionDenied


@login_required
def coverage(request):
    _require_scope(request)
    data = selectors.coverage(request.user)
    return render(
        request,
        "brands/coverage.html",
        {"coverage": data, "chart_data": data.chart_data()},
    )


@login_required
def missing(request):
    """Branches in scope lacking a filed brand, optionally within one committee or category."""
    _require_scope(request)
    city_pk = request.GET.get("city", "")
    city = OrgUnit.objects.filter(pk=city_pk).first() if city_pk.isdigit() else None
    category = request.GET.get("category", "")
    if category not in BranchCategory.values:
        category = ""
    qs = selectors.branches_missing_brand(request.user, city=city, category=category)
    # The cached coverage figures know most of these counts: no COUNT over the scope.
    count = selectors.missing_count(request.user, city=city, category=category)
    page, query = paginate(request, qs, PAGE_SIZE, count=count)
    return render(
        request,
        "brands/coverage_missing.html",
        {
            "page": page,
            "query": query,
            "city": city,
            "category_label": BranchCategory(category).label if category else "",
        },
    )
