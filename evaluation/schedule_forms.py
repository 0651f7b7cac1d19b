"""The form of a schedule (考评日程), kept apart from `forms.py` (the filling forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE
from .models import Schedule, ScoringTable, Subject
from .services.schedules import SCHEDULE_FIELDS


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = list(SCHEDULE_FIELDS)  # what the form edits is what the service saves
        widgets = {"first_month": DATE}
        help_texts = {
            "first_month": _("从该月起每月自动创建月度考评周期（按该月1日计）。"),
        }

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = ScoringTable.objects.exclude(subject=Subject.MEMBER)
        self.fields["scope"].queryset = scopes
        if self.instance.pk:  # the table and scope name the schedule; change the rhythm only
            for name in ("table", "scope"):
                self.fields[name].disabled = True
