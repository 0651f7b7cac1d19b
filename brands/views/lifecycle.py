"""A brand's life after approval: one page (activities, 三亮, pairing, publications) and the
POST-only writes behind its forms. Invalid input re-renders the page with the form's errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from common.forms import shortlist
from common.uploads import image_response
from workflow.transitions import TransitionError, error_text

from .. import lifecycle, pairing
from ..forms_lifecycle import (
    ActivityForm,
    PairingForm,
    PairingNoteForm,
    PublicationForm,
    ShineRecordForm,
)
from ..models import ActivityPhoto, BrandActivity, MediaPublication, Pairing, ShineRecord
from ..rules import may_pair
from .applications import _application

PAGE_SIZE = 20


def _back(app, anchor):
    return redirect(f"{reverse('brands:lifecycle', args=[app.pk])}#{anchor}")


def _page(request, app, **bound):
    """The lifecycle page; `bound` holds a form that failed, to show with its errors."""
    user = request.user
    active = app.status in lifecycle.LIFECYCLE_STATUSES
    can_record = active and user.has_perm(lifecycle.RECORD, app)
    can_pair = active and user.has_perm(lifecycle.PAIR, app) and may_pair(app)
    can_follow = user.has_perm(pairing.FOLLOW, app)
    pairings = pairing.pairings_of(app)
    for p in pairings if can_follow else ():
        # a note form that failed shows again under its pairing, with what was typed
        failed = bound.get("note_form") if bound.get("note_pairing") == p.pairing.pk else None
        p.note_form = failed or PairingNoteForm(auto_id=f"id_note{p.pairing.pk}_%s")
    publications = list(app.publications.all())

    def form(name, make):
        return bound.get(name) or make()

    return render(
        request,
        "brands/lifecycle/page.html",
        {
            "app": app,
            "active": active,
            "can_record": can_record,
            "can_pair": can_pair,
            "activities": Paginator(lifecycle.activities_of(app), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "shine_periods": lifecycle.shine_progress(app.shine_records.all()),
            "shine": lifecycle.shine_status(app, pairings, publications),
            "pairings": pairings,
            "can_follow": can_follow,
            "publications": publications,
            "activity_form": form("activity_form", ActivityForm) if can_record else None,
            "shine_form": form("shine_form", ShineRecordForm) if can_record else None,
            "publication_form": form("publication_form", PublicationForm) if can_record else None,
            "pairing_form": form("pairing_form", lambda: _pairing_form(request, app))
            if can_pair
            else None,
        },
    )


def _attach(form, exc):
    """Put a service's refusal on the form: field errors on their fields, the rest on top."""
    fields_known = hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields)
    if isinstance(exc, ValidationError) and fields_known:
        form.add_error(None, exc)
        return
    form.add_error(None, error_text(exc))


def _save(request, app, form, name, anchor, write, done):
    """Validate `form`, call `write(cleaned_data)`; on success back to the page with `done`,
    on a refusal of the action a message, on invalid input the page with the form's errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        except TransitionError as exc:
            messages.error(request, error_text(exc))
            return _back(app, anchor)
        else:
            messages.success(request, done)
            return _back(app, anchor)
    messages.error(request, _("提交的内容有误，请根据提示修改后重新提交。"))
    return _page(request, app, **{name: form})


@login_required
def overview(request, pk):
    """品牌建设: everyone who may see the application sees its life after approval."""
    return _page(request, _application(request, pk))


def _adding(perm, form_of, name, anchor, add, done):
    """A POST view adding one record to the brand's life: `form_of(request, app)` the bound
    form (shown again as `name` when invalid), `add(actor, application, **cleaned_data)` the
    service, back to the page's `anchor` with `done`."""

    @login_required
    @require_POST
    def view(request, pk):
        app = _application(request, pk, perm)
        return _save(
            request,
            app,
            form_of(request, app),
            name,
            anchor,
            lambda data: add(actor=request.user, application=app, **data),
            done,
        )

    return view


add_activity = _adding(
    lifecycle.RECORD,
    lambda request, _app: ActivityForm(request.POST, request.FILES),
    "activity_form",
    "activities",
    lifecycle.add_activity,
    _lazy("品牌活动已发布。"),
)
add_shine_record = _adding(
    lifecycle.RECORD,
    lambda request, _app: ShineRecordForm(request.POST),
    "shine_form",
    "shine",
    lifecycle.add_shine_record,
    _lazy("擦亮记录已保存。"),
)
PAIRING_FIELDS = ("partner", "started_on", "note")


def _pairing_form(request, app, data=None, initial=None):
    """The pairing form, its select listing at most `PARTNERS_SHOWN` candidates in tree order:
    those whose name or code holds `pairing_q` (posted by its 查找 button, or in the URL)."""
    q = request.POST.get("pairing_q") or request.GET.get("pairing_q", "")
    candidates = lifecycle.pairing_candidates(app, request.user)
    shown = shortlist(candidates, q, *lifecycle.PARTNER_SEARCH, size=lifecycle.PARTNERS_SHOWN)
    return PairingForm(data, initial=initial, shown=shown)


_register_pairing = _adding(
    lifecycle.PAIR,
    lambda request, app: _pairing_form(request, app, request.POST),
    "pairing_form",
    "pairings",
    lifecycle.add_pairing,
    _lazy("结对帮扶已登记。"),
)


@login_required
@require_POST
def add_pairing(request, pk):
    """登记结对; its 查找 button (`find`) instead lists the candidates found by name or code,
    keeping what was typed in the form's other fields."""
    if "find" not in request.POST:
        return _register_pairing(request, pk)
    app = _application(request, pk, lifecycle.PAIR)
    typed = {name: request.POST.get(name, "") for name in PAIRING_FIELDS}
    return _page(request, app, pairing_form=_pairing_form(request, app, initial=typed))


add_publication = _adding(
    lifecycle.RECORD,
    lambda request, _app: PublicationForm(request.POST),
    "publication_form",
    "publications",
    lifecycle.add_publication,
    _lazy("媒体发表已登记。"),
)


def _removing(model, perm, anchor, remove, done):
    """A POST view removing one record (`model`) of the brand's life: `remove(actor, obj)` the
    service; back to the page's `anchor` with `done`, or with the refusal."""

    @login_required
    @require_POST
    def view(request, pk):
        obj = get_object_or_404(model, pk=pk)
        app = _application(request, obj.application_id, perm)
        try:
            remove(request.user, obj)
        except TransitionError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, done)
        return _back(app, anchor)

    return view


delete_activity = _removing(
    BrandActivity,
    lifecycle.RECORD,
    "activities",
    lambda actor, obj: lifecycle.remove_activity(actor=actor, activity=obj),
    _lazy("品牌活动已删除。"),
)
delete_shine_record = _removing(
    ShineRecord,
    lifecycle.RECORD,
    "shine",
    lambda actor, obj: lifecycle.remove_shine_record(actor=actor, record=obj),
    _lazy("擦亮记录已删除。"),
)
delete_pairing = _removing(
    Pairing,
    lifecycle.PAIR,
    "pairings",
    lambda actor, obj: lifecycle.remove_pairing(actor=actor, pairing=obj),
    _lazy("结对帮扶记录已删除。"),
)
delete_publication = _removing(
    MediaPublication,
    lifecycle.RECORD,
    "publications",
    lambda actor, obj: lifecycle.remove_publication(actor=actor, publication=obj),
    _lazy("媒体发表记录已删除。"),
)


@login_required
def activity_photo(request, pk, size="full"):
    """Activity photos are shown to whoever may see the application; always re-encoded."""
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)
    _application(request, photo.activity.application_id)
    return image_response(photo.thumb if size == "thumb" else photo.image)
