"""Forms of the member assessment (党员考评): opening a period, the score form (the branch's
scores, or the member's self-assessment: one field per item of the period's table version),
the KPI coefficients of a period's members, withdrawing a publication."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.scoring import VETO

from .models import COEFFICIENT_MAX, COEFFICIENT_MIN, MemberTable
from .services.assessment import field_name
from .services.members import coefficient_name


class OpenPeriodForm(forms.Form):
    table = forms.ChoiceField(label=_("考评表"), choices=MemberTable.choices)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _("只能考评本年度或上一年度。")


class MemberScoresForm(forms.Form):
    """`own`: the member's self-assessment (their self points), else the branch's points."""

    def __init__(self, *args, scores, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        label = _("自评分") if own else _("得分")
        self.sections = []
        by_dimension = {}
        for score in scores:
            indicator = score.indicator
            name = field_name(indicator.pk)
            value = score.self_points if own else score.points
            if indicator.kind == VETO:
                self.fields[name] = forms.BooleanField(
                    label=_("发生一票否决情形"), required=False, initial=bool(value)
                )
            else:
                self.fields[name] = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=7,
                    decimal_places=2,
                    initial=value,
                    error_messages={"invalid": _("请填写数字。")},
                )
            dimension = indicator.dimension
            if dimension.pk not in by_dimension:
                by_dimension[dimension.pk] = (dimension, [])
                self.sections.append(by_dimension[dimension.pk])
            by_dimension[dimension.pk][1].append((score, self[name]))


class CoefficientsForm(forms.Form):
    """One coefficient per member of a KPI period (COEFFICIENT_MIN–COEFFICIENT_MAX)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in rows:
            name = coefficient_name(row.member_id)
            self.fields[name] = forms.DecimalField(
                label=row.member.name,
                min_value=COEFFICIENT_MIN,
                max_value=COEFFICIENT_MAX,
                max_digits=4,
                decimal_places=2,
                initial=row.coefficient,
                error_messages={
                    "required": _("请填写KPI系数。"),
                    "invalid": _("请填写数字。"),
                    "min_value": _("KPI系数不能小于 %(limit_value)s。"),
                    "max_value": _("KPI系数不能大于 %(limit_value)s。"),
                },
            )
            self.rows.append((row, self[name]))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回公布理由"), max_length=200)
