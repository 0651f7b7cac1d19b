from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.forms import DecisionForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("评选名称"), max_length=100)
    quota = forms.IntegerField(label=_("入选名额"), min_value=1)
    opens_on = forms.DateField(label=_("推荐开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("推荐截止日期"), widget=DateInput())


class ProposeForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("推荐理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    score = forms.DecimalField(
        label=_("党委评分"), min_value=0, max_value=100, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )  # fmt: skip
    note = forms.CharField(label=_("评分说明"), max_length=2000, required=False)


class ProposalDecisionForm(DecisionForm):
    comment_label = _("评定理由")
    comment_rows = 2
