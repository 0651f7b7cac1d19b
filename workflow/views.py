from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError, error_text

from . import selectors, services


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "workflow/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and follow its link (only to this site)."""
    note = selectors.notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        return redirect("workflow:notifications")
    services.mark_read(request.user, [note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("workflow:notifications")


@login_required
@require_POST
def notifications_mark_all_read(request):
    n = services.mark_read(request.user)
    messages.success(request, _("已将 %(n)d 条通知标记为已读。") % {"n": n})
    return redirect("workflow:notifications")


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["email", "email_preference"]
        widgets = {"email_preference": forms.RadioSelect}


@login_required
def notification_settings(request):
    """Each user chooses immediate e-mails or one daily digest."""
    form = EmailPreferenceForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知设置已保存。"))
        return redirect("workflow:notifications")
    return render(request, "workflow/notification_settings.html", {"form": form})


@dataclass(frozen=True)
class Outcome:
    """What became of a service call made for the user: truthy when it went through (`value` is
    what the call returned), falsy when it was refused (`error` is the reason, as shown)."""

    ok: bool
    value: Any = None
    error: str = ""

    def __bool__(self) -> bool:
        return self.ok


def outcome_of(call: Callable, /, *args, **kwargs) -> Outcome:
    """`call(*args, **kwargs)`, a refusal (a `DomainError` or a `ValidationError`) caught as a
    falsy Outcome carrying its text. Anything else — PermissionDenied, a bug — propagates."""
    try:
        return Outcome(ok=True, value=call(*args, **kwargs))
    except (ValidationError, DomainError) as exc:
        return Outcome(ok=False, error=error_text(exc))


def refusal_on_form(form, exc) -> None:
    """A service's refusal shown on the form it came from: at each field the refusal names
    (a ValidationError by field), else as the form's non-field error."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


def attempt(request, call: Callable, /, *args, success: str = "", form=None, **kwargs) -> Outcome:
    """Make the service call `call(*args, **kwargs)` for the user of `request`: a refusal
    becomes the page's error message — or, given a bound `form`, its non-field error, for a page
    that renders the form again — and on success `success` (if any) the page's message. The
    one place a view turns a domain refusal into words; see `outcome_of`."""
    outcome = outcome_of(call, *args, **kwargs)
    if not outcome:
        if form is None:
            messages.error(request, outcome.error)
        else:
            form.add_error(None, outcome.error)
    elif success:
        messages.success(request, success)
    return outcome


def perform_action(request, actions: dict, action: str, pk: int, *, form_class, back: str):
    """The body of a detail page's action view (the caller has checked the object is the
    user's to see): the posted decision (a comment and the version the actor saw, as
    `form_class` cleans them) goes to the service `actions[action]`; a refusal comes back as
    a clear message on the page the actor came from (`back`)."""
    if action not in actions:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请刷新页面后重试。"))
        return redirect(back)
    attempt(
        request,
        actions[action],
        actor=request.user,
        pk=pk,
        success=_("操作成功。"),
        **form.cleaned_data,
    )
    return redirect(back)


def decision_view(actions: dict, *, fetch: Callable, back: str, form_class):
    """The POST view `act(request, pk, action)` of a detail page's decisions: the object as
    `fetch(request, pk)` gives it to the user (404/403 as on its page), then `perform_action`
    with `actions`, back to the page (`back`: its URL name, taking the object's pk)."""

    @login_required
    @require_POST
    def act(request, pk, action):
        obj = fetch(request, pk)
        page = reverse(back, args=[obj.pk])
        return perform_action(request, actions, action, obj.pk, form_class=form_class, back=page)

    act.__doc__ = "Perform one workflow action; refusals come back as a clear message."
    return act


def decide_on_form(request, form, call: Callable, *, success: str, done: str, back: str, **kwargs):
    """A decision form (a comment and the version the actor saw, besides what `kwargs` take
    from it) posted and valid: `call(actor=…, comment=…, expected_version=…, **kwargs)`; on
    success to `done` with `success` said, a refusal back to `back` with the reason."""
    data = form.cleaned_data
    outcome = attempt(
        request,
        call,
        actor=request.user,
        comment=data["comment"],
        expected_version=data["expected_version"],
        success=success,
        **kwargs,
    )
    return redirect(done if outcome else back)


def save_then_submit(request, submit, *, edit_url: str, done_url: str, done_message: str):
    """After a form saved its draft: back to the form, or, when the "submit" button was the
    one pressed, `submit()` and on to `done_url`. A refused submission keeps the draft and says
    why on the form."""
    if "submit" not in request.POST:
        messages.success(request, _("草稿已保存，可随时回来继续填写。"))
        return redirect(edit_url)
    if not attempt(request, submit, success=done_message):
        messages.info(request, _("内容已保存为草稿。"))
        return redirect(edit_url)
    return redirect(done_url)


def submit_after_saving(request, workflow, submit, obj, *, edit: str, done: str, done_message):
    """`save_then_submit` for the draft `obj` of `workflow` a form has just saved: `submit` (a
    decision service: actor, pk, expected_version) at the version the save left it, so a change
    by someone else in between is refused as already handled; `edit` and `done` are the URL
    names of its form and its page."""
    version = workflow.version_of(obj)
    return save_then_submit(
        request,
        lambda: submit(actor=request.user, pk=obj.pk, expected_version=version),
        edit_url=reverse(edit, args=[obj.pk]),
        done_url=reverse(done, args=[obj.pk]),
        done_message=done_message,
    )


def found_or_404(request, fetch: Callable, pk, perm: str, *, checked_on: Callable | None = None):
    """The object a page is about: `fetch(pk)` (the app's selector for the page), 404 when it
    does not exist; 403 unless the user holds `perm` on it (or on `checked_on(obj)`)."""
    try:
        obj = fetch(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, checked_on(obj) if checked_on else obj):
        raise PermissionDenied
    return obj
