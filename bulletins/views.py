"""The 通报导出 pages: the scoped list, a bulletin's page with its progress (polled by htmx),
downloads, and "generate now" for administrators (confirm, then POST)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.uploads import FileMissing, files_missing, open_stored
from workflow.views import attempt

from . import selectors, services
from .forms import BulletinFilterForm, GenerateForm
from .models import Bulletin, BulletinStatus

PAGE_SIZE = 30
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _bulletin(request, pk) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("scope", "generated_by"), pk=pk)
    if not request.user.has_perm("bulletins.read_bulletin", bulletin):
        raise PermissionDenied
    return bulletin


def _generate_form(request, data=None):
    if not request.user.has_perm("bulletins.generate_bulletins"):
        return None
    return GenerateForm(data, scopes=selectors.scopes_generatable_by(request.user))


@login_required
@require_GET
def index(request):
    user = request.user
    if not user.has_perm("bulletins.browse_bulletins"):
        raise PermissionDenied
    form = BulletinFilterForm(request.GET or None, scopes=selectors.scopes_readable_by(user))
    qs = selectors.bulletins_visible_to(user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bulletins/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "generate_form": _generate_form(request),
        },
    )


@login_required
@require_GET
def generate_start(request):
    """The "generate now" form on the list sends month and scope here: on to the
    confirmation page of that month and scope."""
    form = _generate_form(request, request.GET)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return render(request, "bulletins/generate.html", {"form": form}, status=400)
    month, scope = form.cleaned_data["month"], form.cleaned_data["scope"]
    return redirect("bulletins:generate", scope.pk, month.year, month.month)


@login_required
@require_http_methods(["GET", "POST"])
def generate(request, scope_pk, year, month):
    scope = get_object_or_404(selectors.bulletin_scopes(), pk=scope_pk)
    if not request.user.has_perm("bulletins.generate_bulletin", scope):
        raise PermissionDenied
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    month = date(year, month, 1)
    existing = Bulletin.objects.filter(scope=scope, month=month).first()
    if request.method == "POST":
        requested = attempt(
            request, services.request_bulletin, scope=scope, month=month, actor=request.user
        )
        if not requested:
            return redirect("bulletins:index")
        bulletin, queued = requested.value
        bulletin.refresh_from_db()
        if not queued:
            messages.info(request, _("该通报正在生成中，请稍候。"))
        elif bulletin.status == BulletinStatus.DONE:  # no broker: generated within the request
            messages.success(request, _("通报已生成，可下载。"))
        elif bulletin.status == BulletinStatus.FAILED:
            messages.error(request, bulletin.error)
        elif bulletin.error:  # the broker was away: kept, sent later (workflow.outbox)
            messages.info(request, bulletin.error)
        else:
            messages.success(request, _("已开始生成通报，完成后即可下载。"))
        return redirect("bulletins:detail", bulletin.pk)
    return render(
        request,
        "bulletins/generate.html",
        {"scope": scope, "month": month, "existing": existing},
    )


@login_required
@require_GET
def detail(request, pk):
    bulletin = _bulletin(request, pk)
    return render(
        request,
        "bulletins/detail.html",
        {"bulletin": bulletin, "files_missing": _files_missing(bulletin)},
    )


def _files_missing(bulletin) -> bool:
    """A finished bulletin whose files have vanished from the storage is not "已完成"."""
    return bulletin.status == BulletinStatus.DONE and files_missing(bulletin.xlsx, bulletin.docx)


@login_required
@require_GET
def progress(request, pk):
    """The progress fragment, polled by htmx every second while the bulletin is queued or
    running; once it is done or failed the fragment has no trigger and polling stops."""
    bulletin = _bulletin(request, pk)
    compact = request.GET.get("compact") == "1"
    return render(
        request,
        "bulletins/_progress.html",
        {
            "bulletin": bulletin,
            "compact": compact,
            "files_missing": not compact and _files_missing(bulletin),
        },
    )


def download_name(bulletin: Bulletin, kind: str) -> str:
    return _("%(month)s品牌建设通报（%(scope)s）.%(ext)s") % {
        "month": f"{bulletin.month:%Y年%m月}",
        "scope": bulletin.scope.name,
        "ext": kind,
    }


@login_required
@require_GET
def download(request, pk, kind):
    if kind not in CONTENT_TYPES:
        raise Http404
    bulletin = _bulletin(request, pk)
    if not getattr(bulletin, kind).name:
        raise Http404(_("该通报尚未生成文件。"))
    try:
        handle = open_stored(getattr(bulletin, kind))
    except FileMissing:
        # Replaced by a regeneration between reading the row and opening the file: the row
        # now names the new file. The same name again: the file is gone ("文件已丢失").
        named = getattr(bulletin, kind).name
        bulletin.refresh_from_db()
        if getattr(bulletin, kind).name in ("", named):
            raise
        handle = open_stored(getattr(bulletin, kind))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(bulletin, kind),
        content_type=CONTENT_TYPES[kind],
    )
