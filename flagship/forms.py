from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formats import points
from common.forms import CommitteeFilterForm, MultipleFileField, MultipleFileInput
from workflow import forms as workflow_forms

from .models import CandidacyStatus, CriterionSource, FlagshipCycle
from .services.cycle import CONFIG_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.ModelForm):
    """A cycle's calendar and numbers; a new cycle starts from the documents' defaults."""

    class Meta:
        model = FlagshipCycle
        fields = ["year_start", *CONFIG_FIELDS]
        widgets = dict.fromkeys(
            (
                "application_opens_on",
                "application_closes_on",
                "notice_starts_on",
                "summary_deadline",
                "review_starts_on",
                "decision_deadline",
                "honour_expires_on",
            ),
            DATE,
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year_start"]

    def validate_constraints(self, *args, **kwargs):
        # The service validates the whole cycle (with the defaults it fills in).
        return None

    def config(self) -> dict:
        return {f: self.cleaned_data[f] for f in CONFIG_FIELDS if f in self.cleaned_data}


class CommitteeForm(forms.Form):
    user = forms.ModelChoiceField(label=_("评审委员"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class CriterionForm(forms.Form):
    """One line of a cycle's scoring table (评分表). The table as a whole (at least one line,
    names unique, frozen once scored) is the service's to check: `services.criteria.save_criteria`.
    """

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("评分项"), max_length=60)
    max_points = forms.DecimalField(
        label=_("分值"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    source = forms.ChoiceField(
        label=_("参考来源"), choices=CriterionSource.choices, initial=CriterionSource.MANUAL
    )

    def row(self) -> dict:
        data = self.cleaned_data
        return {
            "pk": data.get("id"),
            "name": data["name"],
            "max_points": data["max_points"],
            "source": data["source"],
        }


class BaseCriterionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        labels = {
            forms.formsets.ORDERING_FIELD_NAME: _("排序"),
            forms.formsets.DELETION_FIELD_NAME: _("删除"),
        }
        for name, field in form.fields.items():
            field.label = labels.get(name, field.label)
            if field.label:  # the table's header names the columns; a cell has no label
                field.widget.attrs["aria-label"] = field.label

    def rows(self) -> list[dict]:
        """The lines to keep, in the order asked for; deleted and untouched blank lines left
        out."""
        return [form.row() for form in self.ordered_forms]


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    can_delete_extra=False,
)


class CandidacyForm(forms.Form):
    actual_practices = forms.CharField(
        label=_("实际做法"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("已根据品牌的创建举措和品牌活动预先填写，请在此基础上完善。"),
    )
    highlights = forms.CharField(
        label=_("品牌亮点"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("已根据品牌传播语、创建成效和最近一期考评结果预先填写，请在此基础上完善。"),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"), help_text=_("PDF、Word、Excel、PowerPoint 或图片，不超过 20 MB。")
    )


class DecisionForm(workflow_forms.DecisionForm):
    comment_label = _("意见")


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("两年创建计划"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请写明具体事实和依据；异议以实名提交，仅评审委员会可见提出人。"),
    )


class HandleObjectionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立（取消该单位候选资格）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("处理意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    """One field per criterion of the cycle's table, suggested from the evaluation results."""

    comment = forms.CharField(
        label=_("评审意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            suggestion = suggestions.get(criterion.pk)
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{points(criterion.max_points)} 分）",
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                initial=suggestion,
                help_text=_("参考：按考评得分率折算为 %(s)s 分") % {"s": points(suggestion)}
                if suggestion is not None
                else "",
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment"])

    def points(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class SiteVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("考察日期"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label=_("考察成员"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=_("考察情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleFileField(
        label=_("现场照片"),
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("最多 9 张，每张不超过 5 MB。"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class VetoCheckForm(forms.Form):
    veto_found = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("0", _("未发现否决事项")), ("1", _("存在否决事项"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("核查说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnitsForm(forms.Form):
    units = forms.TypedMultipleChoiceField(
        label=_("示范单位"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000)
    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = choices


class VoteForm(forms.Form):
    units = forms.TypedMultipleChoiceField(
        label=_("投票"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = choices


class BasesForm(forms.Form):
    base_count = forms.IntegerField(label=_("示范基地数量"), min_value=0)
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000)
    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, cap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_count"].max_value = cap
        self.fields["base_count"].widget.attrs["max"] = cap
        self.fields["base_count"].help_text = _("按综合分从高到低产生，最多 %(c)d 个。") % {
            "c": cap
        }


class ObligationForm(forms.Form):
    note = forms.CharField(
        label=_("完成情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CandidacyFilterForm(CommitteeFilterForm):
    q = forms.CharField(label=_("支部或品牌名称"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *CandidacyStatus.choices]
    )
    field_order = ["q", "city"]
