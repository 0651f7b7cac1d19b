"""品牌重塑 pages: start a reshaping from the brand page, edit and submit it, decide it level by
level; its revisions read back. Thin: every rule is in brands/reshaping.py and brands/rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.selectors import approval_chain
from common.uploads import image_response
from workflow.forms import DecisionForm
from workflow.selectors import last_move_into, timeline
from workflow.views import attempt, decision_view, found_or_404

from .. import reshaping as services
from ..forms import ReshapingForm, StartReshapingForm
from ..models import BrandApplication, ReshapingRevision, ReshapingStatus
from ..selectors import applications as application_selectors
from ..selectors import reshaping as selectors
from .drafts import save_draft_then_submit


def _reshaping(request, pk, perm="brands.see_reshaping"):
    return found_or_404(request, selectors.reshaping, pk, perm)


@login_required
@require_POST
def start(request, pk):
    app = get_object_or_404(BrandApplication.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("brands.view_application", app):
        raise PermissionDenied
    form = StartReshapingForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    started = attempt(
        request, services.start_reshaping, actor=request.user, application=app, reason=reason
    )
    if not started:
        return redirect("brands:detail", app.pk)
    messages.success(request, _("已发起品牌重塑：修改后提交审核，通过前原品牌保持有效。"))
    return redirect("brands:edit_reshaping", started.value.pk)


@login_required
def edit(request, pk):
    reshaping = _reshaping(request, pk)
    if not request.user.has_perm("brands.edit_reshaping", reshaping):
        messages.warning(
            request,
            _("该重塑当前为“%(s)s”，不可编辑。") % {"s": reshaping.get_status_display()},
        )
        return redirect("brands:reshaping", reshaping.pk)
    form = ReshapingForm(request.POST or None, request.FILES or None, instance=reshaping)
    if request.method == "POST" and form.is_valid():
        saved = save_draft_then_submit(
            request,
            form,
            lambda content, logo: services.save_reshaping_draft(
                actor=request.user, reshaping=reshaping, data=content, logo=logo
            ),
            workflow=services.RESHAPING,
            submit=services.submit_reshaping,
            edit="brands:edit_reshaping",
            done="brands:reshaping",
            done_message=_("重塑已提交审核，通过前原品牌保持有效。"),
        )
        if saved:
            return saved
    return render(
        request,
        "brands/reshaping_form.html",
        {
            "form": form,
            "reshaping": reshaping,
            "last_return": last_move_into(reshaping, to_state=ReshapingStatus.RETURNED),
        },
    )


@login_required
def detail(request, pk):
    reshaping = _reshaping(request, pk)
    return render(
        request,
        "brands/reshaping_detail.html",
        {
            "reshaping": reshaping,
            "app": reshaping.application,
            "changes": [row for row in selectors.changes(reshaping) if row["changed"]],
            "timeline": services.RESHAPING.describe(timeline(reshaping)),
            "revisions": reshaping.revisions.select_related("created_by").order_by("-number"),
            "chain": approval_chain(reshaping.unit),
            "transitions": services.RESHAPING.available(request.user, reshaping),
            "decision_form": DecisionForm(
                initial={"expected_version": services.RESHAPING.version_of(reshaping)}
            ),
            "can_edit": request.user.has_perm("brands.edit_reshaping", reshaping),
        },
    )


ACTIONS = {
    "submit": services.submit_reshaping,
    "approve": services.approve_reshaping,
    "return": services.return_reshaping,
    "reject": services.reject_reshaping,
}


act = decision_view(ACTIONS, fetch=_reshaping, back="brands:reshaping", form_class=DecisionForm)


@login_required
def revision(request, pk):
    """A submitted version of a reshaping, read-only."""
    rev = get_object_or_404(ReshapingRevision.objects.select_related("created_by"), pk=pk)
    reshaping = _reshaping(request, rev.reshaping_id)
    return render(
        request,
        "brands/revision.html",
        {
            "app": reshaping.application,
            "revision": rev,
            "rows": application_selectors.revision_content(rev.snapshot),
        },
    )


@login_required
def logo(request, pk):
    """The proposed logo's thumbnail, to whoever may see the reshaping."""
    reshaping = _reshaping(request, pk)
    return image_response(reshaping.logo_thumb)
