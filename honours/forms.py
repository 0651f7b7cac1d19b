from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.selectors.published import ranked_periods

from .services import MAX_QUOTA


class RoundForm(forms.Form):
    title = forms.CharField(label=_("表彰名称"), max_length=100)
    period = forms.ModelChoiceField(
        label=_("依据的考评周期"),
        queryset=None,
        help_text=_("从该周期已发布的全省排名中按名次拟定名单，否决的不列入。"),
    )
    quota = forms.IntegerField(label=_("表彰名额"), min_value=1, max_value=MAX_QUOTA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ranked_periods()


class AdjustForm(forms.Form):
    reason = forms.CharField(label=_("调整理由"), max_length=200)
