from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from common.forms import FilterBar

from . import importing
from .models import BranchCategory, Region, UnitType
from .services import accounts


class UnitFilterForm(FilterBar):
    q = forms.CharField(label=_("名称或编码"), required=False, max_length=64)
    unit_type = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *UnitType.choices]
    )
    category = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("全部类别")), *BranchCategory.choices]
    )
    region = forms.ModelChoiceField(
        label=_("片区"), required=False, queryset=Region.objects.all(), empty_label=_("全部片区")
    )

    def filters(self) -> dict:
        """The cleaned filters; invalid input is ignored rather than failing the page."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "unit_type": data["unit_type"],
            "category": data["category"],
            "region": data["region"].pk if data["region"] else None,
        }


class XlsxImportForm(forms.Form):
    """An Excel workbook to import (org units, users, the member roster): size first, then the
    content. A subclass names its template in `help_text`."""

    help_text = _("请使用导入模板填写，保存为 .xlsx 格式。")

    file = forms.FileField(
        label=_("Excel 文件"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{importing.XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.help_text

    def clean_file(self):
        """Size first, then the content: the name of a file proves nothing about it."""
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size)s），不能超过 %(limit)s，请拆分后分批导入。"),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        try:
            importing.open_workbook(upload).close()
        except importing.WorkbookUnreadable:
            raise forms.ValidationError(
                _(
                    "无法读取该文件：请上传 Excel 工作簿（.xlsx）。"
                    ".xls、.csv 或仅改了扩展名的文件，请先用 Excel 另存为 .xlsx。"
                ),
                code="not_xlsx",
            ) from None
        upload.seek(0)
        return upload


class OrgImportForm(XlsxImportForm):
    """The org tree and its users."""


# --- accounts ------------------------------------------------------------------------------


class AccountSearchForm(FilterBar):
    q = forms.CharField(label=_("姓名或用户名"), required=False, max_length=64)

    def query(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class TemporaryPasswordForm(forms.Form):
    """The administrator types a temporary password, or leaves it blank for a generated one.
    Shown in clear text: the administrator has to pass it on."""

    password = forms.CharField(
        label=_("临时密码"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("留空则由系统生成一个随机密码，只显示一次。用户首次登录后须修改密码。"),
    )


class RememberMeAuthenticationForm(AuthenticationForm):
    """Django's login form (django-axes sees the same `username` field) plus 记住我: unticked,
    the session ends when the browser closes."""

    remember = forms.BooleanField(
        label=_("记住我"),
        required=False,
        help_text=_("在本机关闭浏览器后仍保持登录；长时间未操作仍会自动退出。公用电脑请勿勾选。"),
    )


class OwnPasswordChangeForm(PasswordChangeForm):
    """修改密码: the user's own choice replaces any temporary password (the forced change ends)."""

    def save(self, commit=True):
        password = self.cleaned_data["new_password1"]
        return accounts.set_own_password(user=self.user, password=password, via="change")


class ActivationPasswordForm(SetPasswordForm):
    """设置密码 through an activation link."""

    def save(self, commit=True):
        password = self.cleaned_data["new_password1"]
        return accounts.set_own_password(user=self.user, password=password, via="activation")
