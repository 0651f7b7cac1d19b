from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import OrgUnit
from branches.selectors import approval_chain, committees_visible_to
from brands.selectors.applications import recent_activities
from common.uploads import document_response, uploaded_message
from workflow.selectors import last_move_into, timeline
from workflow.transitions import TransitionError, error_text
from workflow.views import attempt, decision_view, submit_after_saving

from ..eligibility import check_eligibility
from ..forms import (
    AttachmentForm,
    CandidacyFilterForm,
    CandidacyForm,
    DecisionForm,
    PlanForm,
)
from ..models import (
    AttachmentKind,
    CandidacyAttachment,
    CandidacyRevision,
    CandidacyStatus,
    Phase,
)
from ..selectors import cycles as selectors
from ..selectors.awards import honours_for_units
from ..selectors.results import latest_results
from ..services import candidacy as candidacies
from ..windows import application_window
from .common import get_candidacy, get_cycle, paginate


@login_required
def apply(request, cycle_pk, unit_pk):
    """创建申报: the form starts from the brand and the latest results; an ineligible branch
    is told why instead."""
    cycle = get_cycle(cycle_pk)
    unit = get_object_or_404(OrgUnit, pk=unit_pk)
    if not request.user.has_perm("flagship.file_candidacy", unit):
        raise PermissionDenied
    existing = selectors.candidacy_of(cycle, unit)
    if existing is not None:
        messages.info(request, _("该党支部已在本周期申报，已为您打开。"))
        return redirect("flagship:candidacy", existing.pk)
    verdict = check_eligibility(unit, cycle=cycle)
    _open, window = application_window(cycle).check()
    if window or not verdict.ok:
        return render(
            request,
            "flagship/refused.html",
            {
                "cycle": cycle,
                "unit": unit,
                "reasons": [r for r in (window,) if r] + verdict.reasons,
            },
        )
    initial = candidacies.prefill_for(unit, verdict.brand, verdict.results)
    form = CandidacyForm(request.POST or None, initial=initial)
    return _save_or_show(
        request,
        form,
        {"cycle": cycle, "unit": unit},
        lambda: {
            "cycle": cycle,
            "unit": unit,
            "brand": verdict.brand,
            "elements": candidacies.brand_elements(verdict.brand),
            "results": verdict.results,
            "candidacy": None,
        },
    )


def _save_or_show(request, form, target: dict, page):
    """The candidacy form posted: the draft saved (`target`: a new one's cycle and unit, or the
    candidacy) and, when asked, submitted; else the form again with `page()` (computed only
    then) and the refusal, if any, on it."""
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            candidacies.save_candidacy_draft,
            actor=request.user,
            data=form.cleaned_data,
            form=form,
            **target,
        )
        if saved:
            return _after_save(request, saved.value)
    return render(request, "flagship/candidacy_form.html", {"form": form, **page()})


def _after_save(request, candidacy):
    return submit_after_saving(
        request,
        candidacies.WORKFLOW,
        candidacies.submit_candidacy,
        candidacy,
        edit="flagship:edit",
        done="flagship:candidacy",
        done_message=_("已提交审核，审核结果将通过通知告知您。"),
    )


@login_required
def edit(request, pk):
    candidacy = get_candidacy(request, pk)
    if not request.user.has_perm("flagship.edit_candidacy", candidacy):
        messages.warning(
            request,
            _("该申报当前为“%(s)s”，不可编辑。") % {"s": candidacy.get_status_display()},
        )
        return redirect("flagship:candidacy", candidacy.pk)
    form = CandidacyForm(
        request.POST or None,
        initial={
            "actual_practices": candidacy.actual_practices,
            "highlights": candidacy.highlights,
        },
    )
    return _save_or_show(
        request,
        form,
        {"candidacy": candidacy},
        lambda: {
            "cycle": candidacy.cycle,
            "unit": candidacy.unit,
            "brand": candidacy.brand,
            "elements": candidacies.brand_elements(candidacy.brand),
            "results": latest_results(candidacy.unit),
            "candidacy": candidacy,
            "last_return": last_move_into(candidacy, to_state=CandidacyStatus.RETURNED),
        },
    )


@login_required
def detail(request, pk):
    candidacy = get_candidacy(request, pk)
    user = request.user
    cycle = candidacy.cycle
    workflow = candidacies.WORKFLOW
    transitions = [
        t for t in workflow.available(user, candidacy) if t.name in candidacies.PAGE_TRANSITIONS
    ]
    manages = user.has_perm("flagship.manage_candidate", candidacy)
    in_management = candidacy.status == CandidacyStatus.ACCEPTED and cycle.phase == Phase.MANAGEMENT
    attachments = list(candidacy.attachments.select_related("uploaded_by"))
    return render(
        request,
        "flagship/candidacy_detail.html",
        {
            "c": candidacy,
            "cycle": cycle,
            "transitions": transitions,
            "decision_form": DecisionForm(
                initial={"expected_version": workflow.version_of(candidacy)}
            ),
            "timeline": workflow.describe(timeline(candidacy), candidacies.EXTRA_ACTIONS),
            "chain": approval_chain(candidacy.unit),
            "revisions": candidacy.revisions.select_related("created_by").order_by("-number"),
            "application_files": [a for a in attachments if a.kind == AttachmentKind.APPLICATION],
            "summary_files": [a for a in attachments if a.kind == AttachmentKind.SUMMARY],
            "can_edit": user.has_perm("flagship.edit_candidacy", candidacy),
            "attachment_form": AttachmentForm()
            if user.has_perm("flagship.edit_candidacy", candidacy)
            else None,
            "plan_form": PlanForm(initial={"plan": candidacy.plan})
            if manages and in_management
            else None,
            "summary_form": AttachmentForm() if manages and in_management else None,
            "can_remove_summary": manages and in_management,
            "activities": recent_activities(
                candidacy.brand, since=cycle.application_opens_on, limit=20
            )
            if candidacy.status == CandidacyStatus.ACCEPTED
            else [],
            "can_post_activity": manages and candidacy.status == CandidacyStatus.ACCEPTED,
            "is_member": user.has_perm("flagship.score", candidacy),
            "badges": honours_for_units([candidacy.unit_id]).get(candidacy.unit_id, []),
        },
    )


@login_required
def revision(request, pk):
    """历史版本: a submitted revision of a candidacy, read-only, to whoever may read the
    candidacy: its texts, the brand's elements and the results as they were submitted, and
    the names of the files attached then."""
    rev = get_object_or_404(CandidacyRevision.objects.select_related("created_by"), pk=pk)
    candidacy = get_candidacy(request, rev.candidacy_id)
    return render(
        request,
        "flagship/revision.html",
        {"c": candidacy, "cycle": candidacy.cycle, "revision": rev, "content": rev.snapshot},
    )


ACTIONS = {
    "submit": candidacies.submit_candidacy,
    "approve": candidacies.approve_candidacy,
    "return": candidacies.return_candidacy,
    "reject": candidacies.reject_candidacy,
}


act = decision_view(
    ACTIONS, fetch=get_candidacy, back="flagship:candidacy", form_class=DecisionForm
)


@login_required
@require_POST
def upload_attachment(request, pk):
    candidacy = get_candidacy(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        added = attempt(
            request,
            candidacies.add_attachment,
            actor=request.user,
            candidacy=candidacy,
            upload=form.cleaned_data["file"],
        )
        if added:
            messages.success(request, uploaded_message(added.value, _("附件已上传。")))
    return redirect("flagship:candidacy", candidacy.pk)


@login_required
@require_POST
def upload_summary(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.manage_candidate")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的总结材料。"))
    else:
        added = attempt(
            request,
            candidacies.upload_summary,
            actor=request.user,
            pk=candidacy.pk,
            upload=form.cleaned_data["file"],
        )
        if added:
            messages.success(request, uploaded_message(added.value, _("总结材料已上传。")))
    return redirect("flagship:candidacy", candidacy.pk)


@login_required
@require_POST
def file_plan(request, pk):
    candidacy = get_candidacy(request, pk, "flagship.manage_candidate")
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写两年创建计划。"))
    else:
        attempt(
            request,
            candidacies.file_plan,
            actor=request.user,
            pk=candidacy.pk,
            plan=form.cleaned_data["plan"],
            success=_("两年创建计划已保存。"),
        )
    return redirect("flagship:candidacy", candidacy.pk)


def _attachment(request, pk):
    attachment = get_object_or_404(CandidacyAttachment, pk=pk)
    get_candidacy(request, attachment.candidacy_id)
    return attachment


@login_required
@require_POST
def delete_attachment(request, pk):
    attachment = _attachment(request, pk)
    try:
        candidacies.remove_attachment(actor=request.user, attachment=attachment)
        messages.success(request, _("附件已删除。"))
    except TransitionError as exc:
        messages.error(request, error_text(exc))
    return redirect("flagship:candidacy", attachment.candidacy_id)


@login_required
def download_attachment(request, pk):
    return document_response(_attachment(request, pk))


@login_required
def candidacy_list(request, cycle_pk):
    """The cycle's candidacies in the user's subtree (the committee sees all), filtered."""
    cycle = get_cycle(cycle_pk)
    form = CandidacyFilterForm(request.GET or None, committees=committees_visible_to(request.user))
    qs = selectors.filter_candidacies(
        selectors.candidacies_visible_to(request.user, cycle), **form.filters()
    ).order_by("unit__path")
    page, query = paginate(request, qs)
    return render(
        request,
        "flagship/candidacy_list.html",
        {"cycle": cycle, "form": form, "page": page, "query": query, "title": _("申报列表")},
    )


@login_required
def queue(request, cycle_pk):
    cycle = get_cycle(cycle_pk)
    if not request.user.has_perm("flagship.view_review_queue"):
        raise PermissionDenied
    page, query = paginate(request, selectors.review_queue(request.user, cycle))
    return render(
        request,
        "flagship/candidacy_list.html",
        {"cycle": cycle, "form": None, "page": page, "query": query, "title": _("待我审核")},
    )
