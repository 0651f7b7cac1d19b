from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import OrgUnit
from branches.selectors import approval_chain, committees_visible_to
from common.formats import time_since
from common.forms import shortlist
from common.pagination import paginate
from common.reversing import pk_url
from common.uploads import document_response, image_response, uploaded_message
from workflow.forms import DecisionForm
from workflow.selectors import last_move_into, timeline
from workflow.transitions import TransitionError, error_text
from workflow.views import attempt, decision_view

from .. import clusters, services
from ..audit import Action
from ..forms import ApplicationFilterForm, AttachmentForm, BrandApplicationForm
from ..forms_lifecycle import ClusterForm
from ..models import (
    LIVE_RESHAPING_STATUSES,
    SHOWCASE_STATUSES,
    Attachment,
    BrandApplication,
    Revision,
    Status,
)
from ..selectors import acceptance as acceptance_selectors
from ..selectors import applications as selectors
from ..selectors import reshaping as reshaping_selectors
from .drafts import save_draft_then_submit

PAGE_SIZE = 30
#: Decided on the acceptance scoring page (views/acceptance.py), never by a bare button.
ACCEPTANCE_JUDGEMENTS = (Action.PASS_ACCEPTANCE, Action.FAIL_ACCEPTANCE)


#: What the application's own page shows of its relations: the unit and the level reviewing.
DETAIL_RELATED = ("unit", "current_level")


def _application(
    request,
    pk,
    perm="brands.view_application",
    related=("unit", "unit__region", "applicant", "current_level"),
):
    app = get_object_or_404(BrandApplication.objects.select_related(*related), pk=pk)
    if not request.user.has_perm(perm, app):
        raise PermissionDenied
    return app


def _filtered_page(request, queryset, *, count=None):
    """The filter form and the requested page; `count` is the unfiltered list's size if known
    (else the list counts at most `common.pagination.MAX_ROWS`)."""
    form = ApplicationFilterForm(
        request.GET or None, committees=committees_visible_to(request.user)
    )
    filters = form.filters()
    qs = selectors.filter_applications(queryset, **filters)
    page, query = paginate(request, qs, PAGE_SIZE, count=None if any(filters.values()) else count)
    return form, page, query


@login_required
def index(request):
    """品牌创建: the secretary's own branches and general branches first, then every
    application in scope."""
    user = request.user
    own = [(unit, selectors.live_application_for(unit)) for unit in selectors.own_units(user)]
    qs = selectors.applications_visible_to(user).order_by("-updated_at", "-pk")
    form, page, query = _filtered_page(request, qs, count=selectors.application_count(user))
    return render(
        request,
        "brands/index.html",
        {
            "own": own,
            "form": form,
            "page": page,
            "query": query,
            "queue_count": selectors.review_queue_count(user)
            if user.has_perm("brands.view_review_queue")
            else None,
        },
    )


@login_required
def create(request, unit_pk):
    unit = get_object_or_404(OrgUnit, pk=unit_pk)
    if not request.user.has_perm("brands.file_application", unit):
        raise PermissionDenied
    existing = selectors.live_application_for(unit)
    if existing is not None:
        messages.info(request, _("该党组织已有品牌申报，已为您打开。"))
        return redirect("brands:detail", existing.pk)
    return _edit(request, BrandApplication(unit=unit), unit=unit, initial=_prefill(request.GET))


#: The texts a link may pre-fill on a new application's form (its `initial`), e.g. the tier-1
#: invitation on the dashboard (rectification.selectors.worklist.brand_prefill).
PREFILLABLE = ("name", "slogan", "core_idea", "goal", "results")


def _prefill(query) -> dict:
    return {f: query[f][:2000] for f in PREFILLABLE if query.get(f)}


@login_required
def edit(request, pk):
    app = _application(request, pk)
    if not request.user.has_perm("brands.edit_application", app):
        messages.warning(
            request, _("该申报当前为“%(s)s”，不可编辑。") % {"s": app.get_status_display()}
        )
        return redirect("brands:detail", app.pk)
    return _edit(request, app)


def _edit(request, app, unit=None, initial=None):
    form = BrandApplicationForm(
        request.POST or None, request.FILES or None, instance=app, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = save_draft_then_submit(
            request,
            form,
            lambda content, logo: services.save_application_draft(
                actor=request.user,
                unit=unit,
                application=app if app.pk else None,
                data=content,
                logo=logo,
            ),
            workflow=services.WORKFLOW,
            submit=services.submit_application,
            edit="brands:edit",
            done="brands:detail",
            done_message=_("已提交审核，审核结果将通过通知告知您。"),
        )
        if saved:
            return saved
    return render(
        request,
        "brands/form.html",
        {
            "form": form,
            "app": app,
            "unit": app.unit if app.unit_id else unit,
            "last_return": last_move_into(app, to_state=Status.RETURNED),
        },
    )


@login_required
def detail(request, pk):
    return detail_page(request, _application(request, pk, related=DETAIL_RELATED))


def detail_page(request, app, *, cluster_form=None):
    """The application's page; `cluster_form` a gathering form that failed, with its errors."""
    # the acceptance is judged by scoring it on the five-force table (验收评分), not by a button
    available = [
        t
        for t in services.WORKFLOW.available(request.user, app)
        if t.name not in ACCEPTANCE_JUDGEMENTS
    ]
    revisions = list(app.revisions.select_related("created_by").order_by("-number"))
    reshapings = reshaping_selectors.history(app)
    live_reshaping = next((r for r in reshapings if r.status in LIVE_RESHAPING_STATUSES), None)
    cluster = clusters.cluster_of(app)
    can_gather = (
        cluster is not None
        and cluster.lead.pk == app.pk
        and app.status in SHOWCASE_STATUSES
        and request.user.has_perm(clusters.GATHER, app)
    )
    return render(
        request,
        "brands/detail.html",
        {
            "app": app,
            "timeline": services.WORKFLOW.describe(
                timeline(app),
                {"name_provincial": _("评为省公司级品牌"), "reshaped": _("品牌重塑获通过")},
            ),
            "attachments": app.attachments.all(),
            "revisions": revisions,
            "reshapings": reshapings,
            "cluster": cluster,
            "can_gather": can_gather,
            "cluster_form": (cluster_form or cluster_form_of(request, app)) if can_gather else None,
            "live_reshaping": live_reshaping,
            "can_reshape": live_reshaping is None
            and request.user.has_perm("brands.reshape_brand", app),
            "diff": selectors.diff_since_return(app, revisions)
            if app.status == Status.IN_REVIEW
            else None,
            "chain": approval_chain(app.unit),
            "transitions": available,
            "can_score_acceptance": app.status == Status.ACCEPTANCE
            and request.user.has_perm("brands.judge_acceptance", app),
            "acceptance": acceptance_selectors.current_review(app)
            if app.status in (Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT)
            else None,
            "decision_form": DecisionForm(
                initial={"expected_version": services.WORKFLOW.version_of(app)}
            ),
            "attachment_form": AttachmentForm() if app.is_editable else None,
            "can_edit": request.user.has_perm("brands.edit_application", app),
        },
    )


def cluster_form_of(request, app, data=None):
    """The gathering form, listing at most `CANDIDATES_SHOWN` candidates (a city may have
    thousands of approved brands): those whose name holds `?cluster_q=`, in tree order."""
    candidates = clusters.cluster_candidates(app)
    q = request.GET.get("cluster_q", "")
    shown = shortlist(candidates, q, *clusters.CANDIDATE_SEARCH, size=clusters.CANDIDATES_SHOWN)
    return ClusterForm(data, candidates=candidates, shown=shown)


@login_required
def revision(request, pk):
    """历史版本: a submitted revision, read-only, to whoever may see the application."""
    rev = get_object_or_404(Revision.objects.select_related("created_by"), pk=pk)
    app = _application(request, rev.application_id)
    return render(
        request,
        "brands/revision.html",
        {"app": app, "revision": rev, "rows": selectors.revision_content(rev.snapshot)},
    )


#: The actions a detail page may post; each takes actor, pk, comment and expected_version.
ACTIONS = {
    "submit": services.submit_application,
    "approve": services.approve_application,
    "return": services.return_application,
    "reject": services.reject_application,
    "request_acceptance": services.request_acceptance,
}


act = decision_view(ACTIONS, fetch=_application, back="brands:detail", form_class=DecisionForm)


@login_required
def queue(request):
    """The review queue: what waits at this reviewer's levels, longest waiting first."""
    if not request.user.has_perm("brands.view_review_queue"):
        raise PermissionDenied
    user = request.user
    form, page, query = _filtered_page(
        request, selectors.review_queue_rows(user), count=selectors.review_queue_count(user)
    )
    # per row: its link, how long it waited and its labels, each written without a per-row
    # reverse() or translation (common.reversing.pk_url, common.formats.time_since) or a
    # template's lookups and filters
    detail_link, since = pk_url("brands:detail"), time_since()
    for app in page:  # what the reviewer sees, checked again by 批量审核通过
        app.seen_version = services.WORKFLOW.version_of(app)
        app.link, app.waited = detail_link(app.pk), since(app.submitted_at)
        app.category_label = app.unit.get_category_display() or "—"
        app.type_label = app.get_brand_type_display()
    # 品牌重塑 waiting at the same levels: at most a page of them, oldest first
    reshapings = list(reshaping_selectors.reshaping_queue(user)[:PAGE_SIZE])
    reshaping_link = pk_url("brands:reshaping")
    for r in reshapings:
        r.link, r.waited = reshaping_link(r.pk), since(r.submitted_at)
    return render(
        request,
        "brands/queue.html",
        {"form": form, "page": page, "query": query, "reshapings": reshapings},
    )


@login_required
@require_POST
def bulk_approve(request):
    """Approve several applications at once; each succeeds or fails on its own."""
    if not request.user.has_perm("brands.view_review_queue"):
        raise PermissionDenied
    ids = list(dict.fromkeys(int(i) for i in request.POST.getlist("ids") if i.isdigit()))[:100]
    decisions = services.approve_applications(
        actor=request.user,
        seen={pk: request.POST.get(f"version_{pk}", "") for pk in ids},
        comment=request.POST.get("comment", ""),
    )
    approved = sum(d.approved for d in decisions)
    if approved:
        messages.success(request, _("已审核通过 %(n)d 项。") % {"n": approved})
    # each refusal is said after the count of those approved, with its application's name
    for refused in (d for d in decisions if not d.approved):
        messages.error(request, f"{refused.application}：{refused.reason}")
    if not ids:
        messages.warning(request, _("请先勾选要审核通过的申报。"))
    return redirect("brands:queue")


@login_required
@require_POST
def upload_attachment(request, pk):
    app = _application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        added = attempt(
            request,
            services.add_attachment,
            actor=request.user,
            application=app,
            upload=form.cleaned_data["file"],
        )
        if added:
            messages.success(request, uploaded_message(added.value, _("附件已上传。")))
    else:
        messages.error(request, _("请选择要上传的文件。"))
    return redirect("brands:detail", app.pk)


@login_required
@require_POST
def delete_attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    _application(request, attachment.application_id)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
        messages.success(request, _("附件已删除。"))
    except TransitionError as exc:
        messages.error(request, error_text(exc))
    return redirect("brands:detail", attachment.application_id)


@login_required
def download_attachment(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    _application(request, attachment.application_id)
    return document_response(attachment)


@login_required
def logo(request, pk, size="full"):
    """Brand logos are shown to every logged-in user (the showcase); always re-encoded images."""
    app = get_object_or_404(BrandApplication, pk=pk)
    return image_response(app.logo_thumb if size == "thumb" else app.logo)
