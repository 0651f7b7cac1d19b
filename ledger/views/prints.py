"""The printed ledger's pages: a branch's prints with the request form, one print's page with
its progress (polled by htmx), and the download. Thin: check, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from workflow.models import JobStatus
from workflow.views import attempt

from ..models import LedgerPrint
from ..printing import selectors, services
from ..printing.forms import PrintForm
from .roster import branch_or_404

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _job(request, pk) -> LedgerPrint:
    try:
        job = selectors.print_for_page(pk)
    except LedgerPrint.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("ledger.view_roster", job.branch):
        raise PermissionDenied
    return job


@login_required
@require_http_methods(["GET", "POST"])
def prints(request, branch_pk):
    branch = branch_or_404(request, branch_pk)
    form = PrintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            services.request_print,
            actor=request.user,
            branch=branch,
            period=form.cleaned_data["period"],
            day=form.day(),
            form=form,
        )
        if outcome:
            job, queued = outcome.value
            job.refresh_from_db()
            if not queued:
                messages.info(request, _("该台账正在生成中，请稍候。"))
            elif job.status == JobStatus.FAILED:
                messages.error(request, job.error)
            elif job.status != JobStatus.DONE:
                messages.success(request, _("已开始生成台账，完成后即可下载。"))
            return redirect("ledger:print_detail", job.pk)
    return render(
        request,
        "ledger/print_index.html",
        {"branch": branch, "form": form, "jobs": selectors.prints_of(branch)},
    )


@login_required
@require_GET
def print_detail(request, pk):
    job = _job(request, pk)
    return render(request, "ledger/print_detail.html", {"job": job, "label": services.label(job)})


@login_required
@require_GET
def print_progress(request, pk):
    """Polled by htmx every second while the job is queued or running."""
    return render(request, "ledger/print_progress.html", {"job": _job(request, pk)})


@login_required
@require_GET
def print_download(request, pk):
    job = _job(request, pk)
    handle = services.open_for_download(actor=request.user, job=job)
    if handle is None:
        raise Http404(_("该台账尚未生成文件。"))
    return FileResponse(
        handle, as_attachment=True, filename=f"{services.label(job)}.docx", content_type=DOCX
    )
