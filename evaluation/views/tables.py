from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from branches.models import BranchCategory

from .. import table_xlsx
from ..models import TableVersion
from ..selectors import tables as selectors
from .common import require


@login_required
def index(request):
    require(request.user, "evaluation.view_tables")
    return render(
        request,
        "evaluation/tables.html",
        {
            "tables": selectors.tables_with_versions(),
            "can_manage": request.user.has_perm("evaluation.manage_tables"),
        },
    )


@login_required
def detail(request, pk):
    require(request.user, "evaluation.view_tables")
    get_object_or_404(TableVersion, pk=pk)
    version, groups = selectors.version_with_rows(pk)
    weights = selectors.weights_by_version(pk)
    labels = dict(BranchCategory.choices)
    return render(
        request,
        "evaluation/table_detail.html",
        {
            "version": version,
            "groups": [
                (d, indicators, [(labels[c], w) for c, w in weights.get(d.pk, {}).items()])
                for d, indicators in groups
            ],
            "can_manage": request.user.has_perm("evaluation.manage_tables"),
        },
    )


@login_required
def export(request, pk):
    require(request.user, "evaluation.manage_tables")
    get_object_or_404(TableVersion, pk=pk)
    version, groups = selectors.version_with_rows(pk)
    return FileResponse(
        table_xlsx.write_version(version, groups, selectors.weights_by_version(version.pk)),
        as_attachment=True,
        filename=_("%(name)s-v%(n)d.xlsx") % {"name": version.table.name, "n": version.number},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
