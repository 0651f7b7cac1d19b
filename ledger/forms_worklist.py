"""Forms of the annual work list: a task of the secretary's own, the responsible person, a
custom task ticked done. The services check the rules again (messages at the field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE
from .models import Member


class _ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return member.name


def _members(branch):
    return Member.objects.filter(branch=branch, is_active=True).order_by("name", "pk")


class AssignForm(forms.Form):
    responsible = _ResponsibleField(
        label=_("责任人"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("支部书记（默认）"),
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _members(branch)


class CustomTaskForm(AssignForm):
    title = forms.CharField(label=_("任务"), max_length=128)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    note = forms.CharField(label=_("任务说明"), max_length=200, required=False)

    field_order = ["title", "due_on", "responsible", "note"]


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("完成情况"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
