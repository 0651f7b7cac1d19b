"""The roster's Excel pages: import (validate everything, write all or nothing), the template,
and the export (audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from branches import importing as org_importing

from .. import roster_io
from ..forms import RosterImportForm
from .units import branch_or_404


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=org_importing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


@login_required
def roster_import(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.edit_roster")
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_io.import_roster_workbook(
                form.cleaned_data["file"], actor=request.user, branch=branch
            )
        except org_importing.WorkbookUnreadable as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("导入完成。") + result.summary())
                return redirect("ledger:roster", branch.pk)
    return render(request, "ledger/import.html", {"branch": branch, "form": form, "result": result})


@login_required
def import_template(request):
    if not request.user.has_perm("ledger.browse_rosters"):
        raise PermissionDenied
    return _xlsx(roster_io.build_template(), "党员名册导入模板.xlsx")


@login_required
def roster_export(request, branch_pk):
    branch = branch_or_404(request, branch_pk)
    content, _rows = roster_io.export_roster(actor=request.user, branch=branch)
    return _xlsx(content, f"{branch.name}党员名册.xlsx")
