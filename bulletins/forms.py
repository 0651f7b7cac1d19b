from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors


class MonthField(forms.CharField):
    """A month as 'YYYY-MM' (an <input type="month">), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "class": "form-control"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = selectors.parse_month(value)
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("请输入有效的月份，如 2025-05。"))
        return month


class BulletinFilterForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    scope = forms.ModelChoiceField(
        label=_("通报范围"),
        queryset=None,
        required=False,
        empty_label=_("全部"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class GenerateForm(forms.Form):
    month = MonthField(label=_("月份"))
    scope = forms.ModelChoiceField(
        label=_("通报范围"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes
        self.fields["month"].initial = f"{selectors.previous_month():%Y-%m}"

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month > timezone.localdate():
            raise forms.ValidationError(_("不能生成尚未开始的月份的通报。"))
        return month
