from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BranchCategory, Region, UnitType


class UnitFilterForm(forms.Form):
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
