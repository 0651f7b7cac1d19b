"""The print request form: a year, or a quarter of a year."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from workflow.windows import local_today

from ..models import PrintPeriod


class PrintForm(forms.Form):
    period = forms.ChoiceField(label=_("期间"), choices=PrintPeriod.choices)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = local_today().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["quarter"].choices = [(q, _g("第%(q)d季度") % {"q": q}) for q in range(1, 5)]
        if not self.is_bound:
            today = local_today()
            self.initial.setdefault("period", PrintPeriod.YEAR)
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("quarter", (today.month - 1) // 3 + 1)

    def clean(self):
        data = super().clean()
        if data.get("period") == PrintPeriod.QUARTER and not data.get("quarter"):
            self.add_error("quarter", ValidationError(_("请选择季度。")))
        return data

    def day(self) -> datetime.date:
        """A day inside the chosen period (the service widens it to the year or quarter)."""
        data = self.cleaned_data
        if data["period"] == PrintPeriod.QUARTER:
            return datetime.date(data["year"], (data["quarter"] - 1) * 3 + 1, 1)
        return datetime.date(data["year"], 1, 1)
