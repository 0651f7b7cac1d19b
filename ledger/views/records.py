"""Record pages: a branch's records, a new record (pick a template, then the form), editing a
draft, a record's page, and the permission-checked photo and material downloads. Thin: check
the permission, call a selector or a service, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from common.pagination import paginate
from common.reversing import pk_url
from common.uploads import document_response, image_response
from workflow.selectors import timeline
from workflow.transitions import TransitionError
from workflow.views import attempt, found_or_404, refusal_on_form, save_then_submit

from .. import selectors, services
from ..forms_records import (
    ATTENDANCE_CHOICES,
    RecordFilterForm,
    RecordForm,
    attendance_from_post,
    sheet_as_posted,
)
from ..models import Attendees, MeetingAttachment, MeetingPhoto, MeetingRecord
from ..rules import keeps_ledger_of, led_group_ids
from .units import branch_or_404

PAGE_SIZE = 30

ACTION_LABELS = {
    "record_create": _lazy("新建台账"),
    "record_edit": _lazy("修改"),
    "record_finalise": _lazy("确认记录"),
    "record_correct": _lazy("补录/更正"),
    "record_theme_day_link": _lazy("关联主题党日"),
    "record_theme_day_unlink": _lazy("取消关联主题党日"),
}


def _record(request, pk, perm="ledger.view_record") -> MeetingRecord:
    return found_or_404(request, selectors.record_for_page, pk, perm)


@login_required
def records(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.view_records")
    form = RecordFilterForm(request.GET or None)
    page, query = paginate(
        request, selectors.records_listed(request.user, branch, **form.filters()), PAGE_SIZE
    )
    # per row: its link and its counts, without a reverse() or a translation per row
    # (common.reversing.pk_url; the counts' text translated once for the page)
    link, counts = pk_url("ledger:record"), _("出席 %(n)s 人 · 照片 %(p)s 张")
    for r in page:
        r.link, r.counts = link(r.pk), counts % {"n": r.present_count, "p": r.photo_count}
    return render(
        request,
        "ledger/records.html",
        {
            "branch": branch,
            "form": form,
            "page": page,
            "query": query,
            "can_add": request.user.has_perm("ledger.add_record", branch),
            "can_see_compliance": request.user.has_perm("ledger.view_compliance", branch),
        },
    )


def _groups_for(user, branch):
    groups = selectors.groups_of(branch)
    return (
        groups
        if keeps_ledger_of(user, branch)
        else groups.filter(pk__in=led_group_ids(user, branch))
    )


def _templates_for(user, branch):
    templates = selectors.templates_for_branch(branch)
    if not keeps_ledger_of(user, branch):  # a group leader keeps group meetings only
        templates = templates.filter(attendees=Attendees.GROUP)
    return templates


def _render_form(request, form, branch, sheet, record=None):
    template = form.template
    return render(
        request,
        "ledger/record_form.html",
        {
            "form": form,
            "branch": branch,
            "record": record,
            "template": template,
            "sheet": sheet,
            "choices": ATTENDANCE_CHOICES,
            "attendance_errors": form.errors.get("attendance", []) if form.is_bound else [],
        },
    )


def _save(request, form, branch, *, record=None, group=None):
    """Save the draft (and record it when "submit" was pressed); None when refused."""
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "data": form.record_data(),
        "attendance": attendance_from_post(request.POST),
        "photos": data["photos"],
        "attachments": data["attachments"],
        "reason": data["reason"],
    }
    if record is None:
        kwargs.update(branch=branch, template=form.template, party_group=group)
    else:
        kwargs.update(record=record, expected_version=data["version"])
    try:
        saved = services.save_draft(**kwargs)
    except (ValidationError, TransitionError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            exc = TransitionError(str(exc))
        refusal_on_form(form, exc)
        return None
    return save_then_submit(
        request,
        lambda: services.finalise(
            actor=request.user, record=saved, reason=data["reason"], expected_version=saved.version
        ),
        edit_url=reverse("ledger:record_edit", args=[saved.pk]),
        done_url=reverse("ledger:record", args=[saved.pk]),
        done_message=_("台账已记录。"),
    )


@login_required
def record_new(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.add_record")
    templates = _templates_for(request.user, branch)
    template_pk = request.POST.get("template") or request.GET.get("template")
    if not (template_pk or "").isdigit():
        return render(
            request, "ledger/record_pick.html", {"branch": branch, "templates": templates}
        )
    template = get_object_or_404(templates, pk=template_pk)
    groups = _groups_for(request.user, branch)
    form = RecordForm(
        request.POST or None, request.FILES or None, template=template, branch=branch, groups=groups
    )
    group = None
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data.get("party_group")
        response = _save(request, form, branch, group=group)
        if response is not None:
            return response
    if request.method == "GET" and "party_group" in form.fields and groups.count() == 1:
        group = groups.first()
        form.initial["party_group"] = group
    elif request.method == "GET" and "party_group" in form.fields and request.GET.get("group"):
        group = groups.filter(pk=request.GET["group"]).first()
        form.initial["party_group"] = group
    sheet = selectors.attendance_sheet(branch, group)
    if request.method == "POST":
        sheet = sheet_as_posted(_sheet_for_post(branch, form), request.POST)
    return _render_form(request, form, branch, sheet)


def _sheet_for_post(branch, form):
    group = form.cleaned_data.get("party_group") if hasattr(form, "cleaned_data") else None
    return selectors.attendance_sheet(branch, group)


@login_required
def record_edit(request, pk):
    record = _record(request, pk, "ledger.edit_record")
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        template=record.template,
        branch=record.branch,
        record=record,
        initial={
            "held_at": record.held_at,
            "place": record.place,
            "topic": record.topic,
            "host": record.host,
            "recorder": record.recorder,
            "minutes": record.minutes,
            "resolutions": record.resolutions,
            "steps_done": record.steps_done,
            "version": record.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, record.branch, record=record)
        if response is not None:
            return response
    sheet = selectors.attendance_sheet(record.branch, record.party_group, record)
    if request.method == "POST":
        sheet = sheet_as_posted(sheet, request.POST)
    return _render_form(request, form, record.branch, sheet, record)


@login_required
def record_detail(request, pk):
    record = _record(request, pk)
    entries = list(timeline(record))
    for e in entries:
        e.action_label = ACTION_LABELS.get(e.action, e.action)
    can_edit = request.user.has_perm("ledger.edit_record", record)
    context = {
        "record": record,
        "branch": record.branch,
        "can_edit": can_edit,
        "timeline": entries,
    }
    if selectors.is_theme_day(record):  # the "1" of 主题党日 1+N: its groups' activities
        context["one_plus_n"] = selectors.one_plus_n(record, with_candidates=can_edit)
    elif record.party_group_id is not None:  # a group's activity: which theme day it joined
        context["theme_day_readable"] = record.theme_day is not None and (
            request.user.has_perm("ledger.view_record", record.theme_day)
        )
        if can_edit:
            context["theme_days"] = selectors.theme_days_for(record)
    return render(request, "ledger/record_detail.html", context)


@login_required
@require_POST
def record_theme_day(request, pk):
    """Attach a group's activity to its branch's theme day, or detach it (empty choice)."""
    activity = _record(request, pk, "ledger.edit_record")
    chosen = request.POST.get("theme_day", "")
    theme_day = None
    if chosen:
        if not chosen.isdigit():
            raise Http404
        theme_day = get_object_or_404(MeetingRecord, pk=chosen, branch=activity.branch_id)
    attempt(
        request,
        services.link_theme_day,
        actor=request.user,
        activity=activity,
        theme_day=theme_day,
        reason=request.POST.get("reason", "")[:200],
        success=_("已关联到主题党日。") if theme_day else _("已取消关联。"),
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("ledger:record", activity.pk)


@login_required
def photo(request, pk, thumb=False):
    item = get_object_or_404(MeetingPhoto.objects.select_related("record__branch"), pk=pk)
    if not request.user.has_perm("ledger.view_record", item.record):
        raise PermissionDenied
    return image_response(item.thumb if thumb else item.image)


@login_required
def attachment(request, pk):
    item = get_object_or_404(MeetingAttachment.objects.select_related("record__branch"), pk=pk)
    if not request.user.has_perm("ledger.view_record", item.record):
        raise PermissionDenied
    return document_response(item)


def _removing(model, remove, success):
    """A POST view removing a record's item (`model`: a photo or an attachment) with the
    reason given: `remove(actor, item, reason)`, back to the record's edit page."""

    @login_required
    @require_POST
    def view(request, pk):
        item = get_object_or_404(model.objects.select_related("record__branch"), pk=pk)
        if not request.user.has_perm("ledger.edit_record", item.record):
            raise PermissionDenied
        reason = request.POST.get("reason", "")[:200]
        attempt(request, remove, request.user, item, reason, success=success)
        return redirect("ledger:record_edit", item.record_id)

    return view


photo_delete = _removing(
    MeetingPhoto,
    lambda actor, photo, reason: services.remove_photo(actor=actor, photo=photo, reason=reason),
    _lazy("照片已删除。"),
)
attachment_delete = _removing(
    MeetingAttachment,
    lambda actor, item, reason: services.remove_attachment(
        actor=actor, attachment=item, reason=reason
    ),
    _lazy("材料已删除。"),
)
