from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .. import selectors


@login_required
def template_list(request):
    """The current work templates the user works under: read-only (edited in the admin)."""
    if not request.user.has_perm("ledger.view_templates"):
        raise PermissionDenied
    return render(
        request,
        "ledger/template_list.html",
        {"templates": selectors.templates_visible_to(request.user)},
    )
