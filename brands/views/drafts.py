"""The brand content form's save, shared by an application and a reshaping (same elements, same
logo upload)."""

from django.core.exceptions import PermissionDenied, ValidationError

from workflow.transitions import TransitionError, error_text
from workflow.views import submit_after_saving


def save_draft_then_submit(request, form, save, *, workflow, submit, edit, done, done_message):
    """A valid brand form: `save(content, logo)` stores the draft, then on to
    `submit_after_saving`. A refusal comes back on the form — a ValidationError (the logo) at
    the logo field, a refused change or right as its non-field error — and None is returned,
    for the caller to show the form again."""
    try:
        obj = save(form.content(), form.cleaned_data.get("logo_upload"))
    except (ValidationError, TransitionError, PermissionDenied) as exc:
        field = "logo_upload" if isinstance(exc, ValidationError) else None
        form.add_error(field, error_text(exc))
        return None
    return submit_after_saving(
        request, workflow, submit, obj, edit=edit, done=done, done_message=done_message
    )
