from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
