from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import BranchCategory, OrgUnit, Region
from common.formats import points
from common.forms import FilterForm
from common.uploads import safe_display_name
from workflow import forms as workflow_forms

from .models import AssessmentPeriod, IndicatorKind, PeriodKind, Status
from .selectors.tables import published_versions
from .services.fill import evidence_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def score_field(indicator, *, label=None, testid="score"):
    """A score input for one indicator, with Chinese messages that name the limit. The
    data-* attributes feed the running total (static/js/evaluation-form.js) and the tests."""
    attrs = {
        "data-testid": f"{testid}-{indicator.code}",
        "data-kind": indicator.kind,
        "data-dimension": indicator.dimension_id,  # its weight: the form's data-weights
    }
    if indicator.kind == IndicatorKind.VETO:
        return forms.BooleanField(
            label=label or _("发生"),
            required=False,
            widget=forms.CheckboxInput(attrs={**attrs, "class": "form-check-input"}),
        )
    limit = points(indicator.max_points)
    attrs |= {"class": "form-control form-control-sm score-input", "data-max": limit}
    return forms.DecimalField(
        label=label or _("得分"),
        required=False,
        min_value=0,
        max_value=indicator.max_points,
        max_digits=7,
        decimal_places=2,
        error_messages={
            "invalid": _("请输入数字。"),
            "min_value": _("得分不能为负数。"),
            "max_value": _("得分不能超过 %(limit)s 分。") % {"limit": limit},
            "max_decimal_places": _("最多保留两位小数。"),
            "max_digits": _("数值过大。"),
        },
        widget=forms.NumberInput(attrs={**attrs, "step": "0.01", "min": 0, "max": limit}),
    )


class SelfAssessmentForm(forms.Form):
    """Per indicator: a score (a checkbox for a veto item), an evidence text and optionally a
    file. Field names carry the indicator id: s<id>, e<id>, f<id>."""

    def __init__(self, *args, indicators, scores, carried=None, online=None, **kwargs):
        """`carried`: evidence texts by indicator id to start from where the assessment has
        none yet (the unit's previous period, `selectors.results.carried_evidence`).
        `online`: the scores the portal computes (`evaluation.online`), shown, not editable."""
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        carried = carried or {}
        online = online or {}
        for i in indicators:
            row = scores.get(i.pk)
            self.fields[f"s{i.pk}"] = score_field(i)
            self.fields[f"e{i.pk}"] = forms.CharField(
                label=_("佐证说明"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "class": "form-control form-control-sm",
                        "data-testid": f"evidence-{i.code}",
                    }
                ),
            )
            self.fields[evidence_field(i.pk)] = forms.FileField(
                label=_("佐证材料"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"class": "form-control form-control-sm", "data-testid": f"file-{i.code}"}
                ),
            )
            if row is not None:
                value = row.self_score
                self.initial[f"s{i.pk}"] = bool(value) if i.kind == IndicatorKind.VETO else value
                self.initial[f"e{i.pk}"] = row.evidence
            if not self.initial.get(f"e{i.pk}") and carried.get(i.pk):
                self.initial[f"e{i.pk}"] = carried[i.pk]
            if i.pk in online:
                self.initial[f"s{i.pk}"] = online[i.pk].score
                self.initial[f"e{i.pk}"] = online[i.pk].basis
                self.fields[f"s{i.pk}"].disabled = self.fields[f"e{i.pk}"].disabled = True

    def entries(self) -> dict:
        data = {}
        for i in self.indicators:
            score = self.cleaned_data.get(f"s{i.pk}")
            if i.kind == IndicatorKind.VETO:
                score = 1 if score else 0
            data[i.pk] = {"score": score, "evidence": self.cleaned_data.get(f"e{i.pk}", "")}
        return data

    def uploads(self) -> list:
        return [
            (i, self.cleaned_data[evidence_field(i.pk)])
            for i in self.indicators
            if self.cleaned_data.get(evidence_field(i.pk))
        ]

    def name_unsaved_uploads(self) -> None:
        """After a save that did not go through: a browser cannot keep a chosen file across
        pages, so each file that was attached is named at its field as not saved, to be chosen
        again (a refused file already says why at its field)."""
        for i in self.indicators:
            name = evidence_field(i.pk)
            upload = self.files.get(self.add_prefix(name))
            if upload and not self.has_error(name):
                self.add_error(
                    name,
                    _("文件“%(name)s”尚未保存，请重新选择后再保存。")
                    % {"name": safe_display_name(upload.name)},
                )


class ReviewForm(forms.Form):
    """The reviewer's score per indicator (r<id>) and the reason for a change (why<id>)."""

    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, indicators, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.current = {}
        for i in indicators:
            row = scores.get(i.pk)
            value = row.reviewed_score if row is not None else None
            self.current[i.pk] = value
            self.fields[f"r{i.pk}"] = score_field(i, label=_("核定分"), testid="review-score")
            self.fields[f"why{i.pk}"] = forms.CharField(
                label=_("调整理由"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "data-testid": f"review-reason-{i.code}",
                        "placeholder": _("调整时必填"),
                    }
                ),
            )
            self.initial[f"r{i.pk}"] = bool(value) if i.kind == IndicatorKind.VETO else value

    def _value(self, indicator):
        value = self.cleaned_data.get(f"r{indicator.pk}")
        if indicator.kind == IndicatorKind.VETO:
            return Decimal(1 if value else 0)
        return value

    def clean(self):
        cleaned = super().clean()
        for i in self.indicators:
            if f"r{i.pk}" not in cleaned:
                continue  # its own error is shown already
            value, current = self._value(i), self.current[i.pk]
            if value is None:
                continue
            if (current is None or value != current) and not cleaned.get(f"why{i.pk}", "").strip():
                self.add_error(f"why{i.pk}", _("调整分数必须填写理由。"))
        return cleaned

    def changes(self) -> dict:
        return {
            i.pk: (self._value(i), self.cleaned_data.get(f"why{i.pk}", ""))
            for i in self.indicators
            if self._value(i) is not None
        }


class DecisionForm(workflow_forms.DecisionForm):
    comment_label = _("意见")
    comment_rows = 2


class BonusForm(forms.Form):
    """A bonus item (加分项) the upper level records: points and the reason (services.bonus
    checks the cap)."""

    points = forms.DecimalField(
        label=_("加分"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": _("请填写加分分值。"),
            "invalid": _("请输入数字。"),
            "min_value": _("加分须大于 0。"),
            "max_decimal_places": _("最多保留两位小数。"),
            "max_digits": _("数值过大。"),
        },
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0.01", "data-testid": "bonus-points"}
        ),
    )
    reason = forms.CharField(
        label=_("加分理由"),
        max_length=1000,
        error_messages={"required": _("请填写加分理由。")},
        widget=forms.Textarea(attrs={"rows": 2, "data-testid": "bonus-reason"}),
    )
    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)


class WithdrawBonusForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=1000,
        error_messages={"required": _("撤销加分须填写理由。")},
    )


class PeriodForm(forms.ModelForm):
    class Meta:
        model = AssessmentPeriod
        fields = [
            "name",
            "kind",
            "table_version",
            "scope",
            "is_aggregate",
            "starts_on",
            "ends_on",
            "opens_on",
            "closes_on",
        ]
        widgets = dict.fromkeys(("starts_on", "ends_on", "opens_on", "closes_on"), DATE)
        help_texts = {
            "closes_on": _("截止日期（含当天）后不能再保存或提交自评。"),
            "is_aggregate": _(
                "月评价、季评星、年定级：季度汇总周期取各月已发布结果之和除以月数，年度汇总周期"
                "取各季度之和除以季度数；未发布的月份计 0 分，任一来源周期一票否决则汇总结果否决。"
            ),
        }

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table_version"].queryset = published_versions()
        self.fields["scope"].queryset = scopes
        for name in ("opens_on", "closes_on"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_aggregate"):
            # An aggregate is not filled: its window is just the end of the period.
            for name in ("opens_on", "closes_on"):
                cleaned[name] = cleaned.get(name) or cleaned.get("ends_on")
                setattr(self.instance, name, cleaned[name])
        else:
            for name in ("opens_on", "closes_on"):
                if not cleaned.get(name):
                    self.add_error(name, _("请填写填报日期。"))
        return cleaned

    def _post_clean(self):
        if self.cleaned_data.get("is_aggregate"):
            for name in ("opens_on", "closes_on"):
                setattr(self.instance, name, self.cleaned_data.get(name))
        super()._post_clean()


class RescheduleForm(forms.ModelForm):
    class Meta:
        model = AssessmentPeriod
        fields = ["name", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}
        help_texts = {"closes_on": _("延长截止日期后，未提交的支部可以继续填报。")}


class PeriodFilterForm(FilterForm):
    q = forms.CharField(label=_("周期名称"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("周期类型"), required=False, choices=[("", _("全部")), *PeriodKind.choices]
    )
    year = forms.IntegerField(
        label=pgettext_lazy("calendar year", "年度"), required=False, min_value=2000, max_value=2100
    )


class AssessmentFilterForm(FilterForm):
    q = forms.CharField(label=_("组织名称或编码"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("全部")), *BranchCategory.choices]
    )
    region = forms.ModelChoiceField(
        label=_("片区"), required=False, queryset=Region.objects.all(), empty_label=_("全部")
    )
    committee = forms.ModelChoiceField(
        label=_("市/直属党委"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("全部"),
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class RankingFilterForm(FilterForm):
    q = forms.CharField(label=_("组织名称"), required=False, max_length=60)
    category = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("全部")), *BranchCategory.choices]
    )
    region = forms.ModelChoiceField(
        label=_("片区"), required=False, queryset=Region.objects.all(), empty_label=_("全部")
    )


class PublishForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("发布范围"), queryset=OrgUnit.objects.none(), empty_label=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])


class TableImportForm(forms.Form):
    file = forms.FileField(
        label=_("评价表文件（xlsx）"),
        help_text=_("导入后生成一个新的草稿版本，核对无误后再发布；已发布的版本不会被修改。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
