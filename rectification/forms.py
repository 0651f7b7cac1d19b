from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField

from .models import PlanStatus, RectificationPlan
from .selectors.plans import OVERDUE, WAITING


class PlanForm(forms.ModelForm):
    """The plan: problems found (pre-filled from the items the result lost most on), the
    measures, who is responsible and by when. A draft may be incomplete; submission checks."""

    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)

    class Meta:
        model = RectificationPlan
        fields = ["problems", "measures", "responsible", "target_date"]
        widgets = {
            "problems": forms.Textarea(attrs={"rows": 5}),
            "measures": forms.Textarea(attrs={"rows": 5}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "problems": _("已按本次考评失分较多的指标预先填写，请核实并补充，每行一条。"),
            "measures": _("针对查摆出的问题逐条写明整改措施，每行一条。"),
            "target_date": _("不晚于整改期限。"),
        }


class ReportForm(forms.Form):
    completion = forms.CharField(
        label=_("整改完成情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写整改完成情况。")},
    )
    evidence = MultipleFileField(
        label=_("整改佐证材料"),
        required=False,
        help_text=_("PDF、Word、Excel、PowerPoint 或图片，可多选；手机照片可直接上传。"),
    )
    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            (WAITING, _("待我审核")),
            (OVERDUE, _("已逾期")),
            *PlanStatus.choices,
        ],
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=60)
