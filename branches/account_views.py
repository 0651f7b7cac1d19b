"""Accounts in the portal: the administrators' account pages, and the pages every user meets
(login with 记住我, 修改密码, 设置密码 through an activation link). Thin: the rules and writes
are in `services/accounts.py`, the forced change and the idle timeout in `middleware.py`."""

import smtplib

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.pagination import SEARCH_MAX_ROWS, paginate

from . import selectors
from .forms import (
    AccountSearchForm,
    ActivationPasswordForm,
    OwnPasswordChangeForm,
    RememberMeAuthenticationForm,
    TemporaryPasswordForm,
)
from .models import User
from .services import accounts

PAGE_SIZE = 50


class AccountListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """账号管理: the users of the administrator's subtree, each with whether it may be managed
    and, if not, why."""

    permission_required = "branches.manage_accounts"
    template_name = "branches/account_list.html"

    def get_context_data(self, **kwargs):
        form = AccountSearchForm(self.request.GET or None)
        q = form.query()
        users = selectors.accounts_visible_to(self.request.user, q=q)
        page, query = paginate(
            self.request, users, PAGE_SIZE, max_rows=SEARCH_MAX_ROWS if q else None
        )
        rows = [(u, accounts.refusal(self.request.user, u)) for u in page]
        return super().get_context_data(form=form, page=page, query=query, rows=rows, **kwargs)


class AccountDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """One account and the administrator's actions on it (POST `action`): a temporary
    password (a generated one is shown on this response only, never stored or put in a
    message), an activation link, deactivate or reactivate."""

    permission_required = "branches.manage_account"
    template_name = "branches/account_detail.html"

    def get_permission_object(self):
        if not hasattr(self, "account"):
            self.account = get_object_or_404(User, pk=self.kwargs["pk"])
        return self.account

    def get_context_data(self, **kwargs):
        kwargs.setdefault("password_form", TemporaryPasswordForm())
        account = self.get_permission_object()
        return super().get_context_data(account=account, **kwargs)

    def post(self, request, *args, **kwargs):
        account = self.get_permission_object()
        action = request.POST.get("action")
        if action == "password":
            return self._set_password(account)
        try:
            if action == "activation":
                site = request.build_absolute_uri("/")
                email = accounts.send_activation_link(
                    actor=request.user, user=account, site_url=site
                )
                messages.success(request, _("激活链接已发送至 %(email)s。") % {"email": email})
            elif action in ("deactivate", "reactivate"):
                active = action == "reactivate"
                accounts.set_active(actor=request.user, user=account, active=active)
                messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
        except accounts.AccountError as exc:
            messages.error(request, str(exc))
        except (smtplib.SMTPException, OSError):
            messages.error(request, _("邮件发送失败，请稍后重试，或改为设置临时密码。"))
        return redirect("branches:account_detail", pk=account.pk)

    def _set_password(self, account):
        form = TemporaryPasswordForm(self.request.POST)
        if form.is_valid():
            typed = form.cleaned_data["password"]
            try:
                password = accounts.set_temporary_password(
                    actor=self.request.user, user=account, password=typed
                )
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                response = self.render_to_response(
                    self.get_context_data(
                        password_set=True, generated_password="" if typed else password
                    )
                )
                add_never_cache_headers(response)
                return response
        return self.render_to_response(self.get_context_data(password_form=form))


class LoginView(auth_views.LoginView):
    """Django's login (django-axes checks it as before) with 记住我: unticked, the session
    cookie ends when the browser closes; ticked, it persists. The idle limit applies to both."""

    form_class = RememberMeAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.set_expiry(None if form.cleaned_data.get("remember") else 0)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm


class ActivationView(auth_views.PasswordResetConfirmView):
    """设置密码 through an e-mailed link: Django's reset confirmation (the token leaves the URL
    for the session before the form shows). The token is void once a password is set or
    after settings.PASSWORD_RESET_TIMEOUT; a deactivated account's link is void too."""

    form_class = ActivationPasswordForm
    template_name = "registration/activate.html"
    success_url = reverse_lazy("activate_done")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class ActivationDoneView(TemplateView):
    template_name = "registration/activate_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(login_url=reverse("login"), **kwargs)
