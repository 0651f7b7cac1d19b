"""A member's portal account: the secretary links or unlinks it (audited), and a linked account
reads its own roster row. Thin: permission, service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflow.views import refusal_on_form

from ..forms_accounts import LinkAccountForm, UnlinkAccountForm
from ..rules import member_of
from ..services import RosterError
from ..services import accounts as services
from .roster import member_or_404


@login_required
def member_account(request, pk):
    member = member_or_404(request, pk, "ledger.edit_roster")
    link = LinkAccountForm(request.POST if request.POST.get("action") == "link" else None)
    unlink = UnlinkAccountForm(request.POST if request.POST.get("action") == "unlink" else None)
    form = link if link.is_bound else unlink
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if form is link:
                services.link_account(actor=request.user, member=member, **data)
            else:
                services.unlink_account(actor=request.user, member=member, **data)
        except (ValidationError, RosterError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(
                request, _("已关联平台账号。") if form is link else _("已解除平台账号关联。")
            )
            return redirect("ledger:member", member.pk)
    return render(
        request,
        "ledger/member_account.html",
        {"member": member, "branch": member.branch, "link": link, "unlink": unlink},
    )


@login_required
def my_record(request):
    """The signed-in member's own roster row (full phone: it is their own), or a note that
    the account is not linked yet. Nobody else's row is reachable from here."""
    member = member_of(request.user)
    if member is not None:
        member = (
            type(member)
            .objects.select_related("branch", "party_group", "party_group__leader")
            .get(pk=member.pk)
        )
    return render(request, "ledger/my_record.html", {"member": member})
