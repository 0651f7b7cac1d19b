"""The acceptance scoring form (验收评审 on the five-force table): one field per item of the
table version, pre-filled (`brands.acceptance.sheet_for`); the rules are the service's
(`brands.acceptance.score_acceptance`), whose refusals come back onto these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formats import points
from workflow.forms import DecisionForm

from .acceptance import field_name

VETO = "veto"


class AcceptanceScoreForm(DecisionForm):
    comment_label = _("验收意见")

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.fields["comment"].help_text = _("验收未通过时必填，写明需改进之处。")
        for indicator in sheet.indicators:
            name = field_name(indicator)
            initial = sheet.initial.get(indicator.pk)
            if indicator.kind == VETO:
                self.fields[name] = forms.BooleanField(
                    label=indicator.name, required=False, initial=bool(initial)
                )
                continue
            self.fields[name] = forms.DecimalField(
                label=indicator.name,
                required=False,
                min_value=0,
                max_value=indicator.max_points,
                decimal_places=2,
                initial=None if initial is None else points(initial),
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.5",
                        "min": 0,
                        "max": points(indicator.max_points),
                        "inputmode": "decimal",
                        "class": "form-control acceptance-score",
                    }
                ),
            )

    def rows(self):
        """(dimension, [(indicator, bound field, basis)]) in table order, for the template."""
        return [
            (
                dimension,
                [(i, self[field_name(i)], self.sheet.bases.get(i.pk, "")) for i in indicators],
            )
            for dimension, indicators in self.sheet.grouped
        ]

    def scores(self) -> dict:
        """Item id → the typed score (a veto item: 1 when ticked), for the service."""
        found = {}
        for indicator in self.sheet.indicators:
            value = self.cleaned_data.get(field_name(indicator))
            if indicator.kind == VETO:
                value = 1 if value else 0
            found[indicator.pk] = value
        return found
