"""The brand showcase (品牌展示): the brand wall, one brand's public page, the "1+N" clusters.
Open to every logged-in user (`brands.view_showcase`)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from common.pagination import paginate

from .. import clusters as cluster_reads
from ..forms import ShowcaseFilterForm
from ..selectors import showcase as selectors

PAGE_SIZE = 24


def _require_showcase(request):
    if not request.user.has_perm("brands.view_showcase"):
        raise PermissionDenied


@login_required
def showcase(request):
    """The brand wall (品牌矩阵): every approved brand as a card, filterable, 24 a page."""
    _require_showcase(request)
    form = ShowcaseFilterForm(request.GET or None, committees=selectors.showcase_committees())
    filters = form.filters()
    page, query = paginate(
        request,
        selectors.brand_wall(**filters),
        PAGE_SIZE,
        count=selectors.brand_wall_count(**filters),
    )
    return render(
        request, "brands/showcase/wall.html", {"form": form, "page": page, "query": query}
    )


@login_required
def showcase_detail(request, pk):
    """One approved brand's public page: the six elements, activities and publications."""
    _require_showcase(request)
    app = selectors.showcase_brand(pk)
    if app is None:
        raise Http404
    return render(
        request,
        "brands/showcase/detail.html",
        {
            "app": app,
            "activities": selectors.brand_activities(app),
            "publications": selectors.brand_publications(app),
            "cluster": cluster_reads.cluster_of(app),
            "can_view_application": request.user.has_perm("brands.view_application", app),
        },
    )


@login_required
def clusters(request):
    """The "1+N" brand clusters, one per city / directly-affiliated committee."""
    _require_showcase(request)
    clusters, without = selectors.brand_clusters()
    return render(
        request,
        "brands/showcase/clusters.html",
        {"clusters": clusters, "without": without, "cluster_size": selectors.CLUSTER_SIZE},
    )
