from django import forms
from django.utils.translation import gettext_lazy as _

from ledger import selectors as ledger_selectors
from ledger.forms_records import MultipleFileField, MultipleFileInput

from . import halves
from .models import GroupBrand, InnovationItem, PioneerPost, PostOutcome, PostReview, SpotCheck

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostForm(forms.ModelForm):
    class Meta:
        model = PioneerPost
        fields = ["member", "kind", "title", "commitment", "term_start", "term_end"]
        widgets = {
            "term_start": DATE,
            "term_end": DATE,
            "commitment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = ledger_selectors.roster(user, branch)
        self.fields["member"].label_from_instance = lambda m: m.name
        self.fields["member"].error_messages["invalid_choice"] = _("请选择本支部在册党员。")


class SpotCheckForm(forms.ModelForm):
    class Meta:
        model = SpotCheck
        fields = ["checked_on", "finding"]
        widgets = {"checked_on": DATE, "finding": forms.Textarea(attrs={"rows": 2})}


class ReviewForm(forms.ModelForm):
    half = forms.ChoiceField(label=_("评估半年度"))
    outcome = forms.ChoiceField(label=_("评估结果"), choices=PostOutcome.choices)

    class Meta:
        model = PostReview
        fields = ["half", "department_opinion", "committee_opinion", "led_by_example", "outcome"]
        widgets = {
            "department_opinion": forms.Textarea(attrs={"rows": 2}),
            "committee_opinion": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["half"].choices = [(h, h) for h in halves.reviewable(today)]
        self.fields["led_by_example"].required = False


class InnovationForm(forms.ModelForm):
    class Meta:
        model = InnovationItem
        fields = ["member", "kind", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = ledger_selectors.members_filed_for_by(user, branch)
        self.fields["member"].label_from_instance = lambda m: m.name
        self.fields["member"].error_messages["invalid_choice"] = _(
            "只能为本人或本党小组的党员申报。"
        )


class DecisionForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("评选结果"),
        choices=[("1", _("入选")), ("0", _("未入选"))],
        coerce=lambda v: v == "1",
    )
    meeting = forms.ModelChoiceField(label=_("评议会议"), queryset=None, required=False)
    note = forms.CharField(label=_("评议意见"), max_length=200, required=False)

    def __init__(self, *args, user, branch, year, **kwargs):
        super().__init__(*args, **kwargs)
        records = ledger_selectors.records_of(user, branch).filter(held_at__year=year)
        self.fields["meeting"].queryset = records
        self.fields["meeting"].label_from_instance = lambda r: (
            f"{r.held_at:%Y-%m-%d} {r.template.name} {r.topic}"
        )


class GroupBrandForm(forms.ModelForm):
    photos = MultipleFileField(
        label=_("照片"),
        help_text=_("JPG 或 PNG，最多 6 张；上传后重新编码，去除拍摄位置等信息。"),
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = GroupBrand
        fields = ["name", "idea", "highlights"]
        widgets = {
            "idea": forms.Textarea(attrs={"rows": 3}),
            "highlights": forms.Textarea(attrs={"rows": 4}),
        }
