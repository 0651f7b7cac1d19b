"""The quarterly group assessment's score form: one field per item of the table version the
assessment was opened on, grouped under their dimension; a reason field beside each prefilled
item (changing the portal's figure needs one, `services.assessment`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.scoring import VETO

from .services.assessment import field_name, note_name


class GroupScoresForm(forms.Form):
    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        rows = []
        for score in scores:
            indicator = score.indicator
            name = field_name(indicator.pk)
            if indicator.kind == VETO:
                self.fields[name] = forms.BooleanField(
                    label=_("发生一票否决情形"), required=False, initial=bool(score.points)
                )
            else:
                self.fields[name] = forms.DecimalField(
                    label=_("得分"),
                    required=False,
                    max_digits=7,
                    decimal_places=2,
                    initial=score.points,
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )
            note = None
            if score.system_points is not None:
                self.fields[note_name(indicator.pk)] = forms.CharField(
                    label=_("调整理由"), required=False, max_length=200, initial=score.note
                )
                note = note_name(indicator.pk)
            rows.append((score, name, note))
        self.sections = []
        by_dimension = {}
        for score, name, note in rows:
            dimension = score.indicator.dimension
            if dimension.pk not in by_dimension:
                by_dimension[dimension.pk] = (dimension, [])
                self.sections.append(by_dimension[dimension.pk])
            by_dimension[dimension.pk][1].append((score, self[name], self[note] if note else None))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("退回修改理由"), max_length=200)


class NominationForm(forms.Form):
    """The branch's proposal: one of its groups with published results of the year."""

    group = forms.TypedChoiceField(label=_("党小组"), coerce=int)
    reason = forms.CharField(
        label=_("推荐理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("政治表现、党建工作完成、小组活动组织、纪律作风表现。"),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(r.group_id, f"{r.group_name}（{r.total}）") for r in rows]
        self.fields["group"].error_messages["invalid_choice"] = _(
            "请选择本年度有公布考评结果的党小组。"
        )


class DecisionForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("意见"),
        coerce=lambda v: v == "1",
        choices=[("1", _("确认为品牌党小组")), ("0", _("不予确认"))],
    )
    note = forms.CharField(label=_("意见说明"), max_length=200, required=False)
