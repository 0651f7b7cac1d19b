"""The form linking a roster member to a portal account (the service checks the account)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkAccountForm(forms.Form):
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        help_text=_("本支部党员已有的平台账号的登录名。"),
    )
    reason = forms.CharField(
        label=_("说明"), max_length=200, required=False, help_text=_("选填，记入操作记录。")
    )


class UnlinkAccountForm(forms.Form):
    reason = forms.CharField(label=_("解除原因"), max_length=200)
