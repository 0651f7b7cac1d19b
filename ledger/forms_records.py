"""Forms of the ledger's records: the record itself (fields follow its template: the steps as
checkboxes, the required content marked) and the list's filters. Attendance is not a Django
form: it is one radio group and one reason per member (`attendance_from_post`)."""

import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import FilterBar, MultipleFileField, MultipleFileInput

from .models import (
    AttendanceStatus,
    Attendees,
    MeetingKind,
    MeetingTemplate,
    Member,
    RecordStatus,
)
from .selectors.records import SheetRow

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
REQUIRED_BY_TEMPLATE = _("本模板要求填写")


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RecordForm(forms.Form):
    party_group = forms.ModelChoiceField(label=_("党小组"), queryset=None, required=False)
    held_at = forms.DateTimeField(
        label=_("会议时间"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.CharField(label=_("会议地点"), max_length=128, required=False)
    topic = forms.CharField(label=_("会议议题"), max_length=200, required=False)
    host = MemberChoice(label=_("主持人"), queryset=Member.objects.none(), required=False)
    recorder = MemberChoice(label=_("记录人"), queryset=Member.objects.none(), required=False)
    steps_done = forms.MultipleChoiceField(
        label=_("规定步骤"), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("会议记录"), required=False, max_length=20000, widget=forms.Textarea({"rows": 6})
    )
    resolutions = forms.CharField(
        label=_("会议决议"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    photos = MultipleFileField(
        label=_("照片"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    attachments = MultipleFileField(label=_("会议材料"), help_text=_("PDF、Word、Excel 等。"))
    reason = forms.CharField(
        label=_("补录/更正原因"),
        required=False,
        max_length=200,
        help_text=_("该月台账锁定后补录或更正时必填，记入操作记录。"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    #: Template flag → the field it makes required on recording.
    FLAG_FIELDS = {
        "needs_topic": "topic",
        "needs_host": "host",
        "needs_recorder": "recorder",
        "needs_minutes": "minutes",
        "needs_resolutions": "resolutions",
        "needs_materials": "attachments",
    }

    def __init__(self, *args, template: MeetingTemplate, branch, groups=None, record=None, **kw):
        super().__init__(*args, **kw)
        self.template = template
        members = Member.objects.filter(branch=branch, is_active=True).order_by("name", "pk")
        if record is not None:  # keep a host who has left since
            members = Member.objects.filter(branch=branch).order_by("-is_active", "name", "pk")
        self.fields["host"].queryset = self.fields["recorder"].queryset = members
        self.fields["steps_done"].choices = [(s, s) for s in template.steps]
        if template.attendees != Attendees.GROUP or record is not None or groups is None:
            del self.fields["party_group"]  # a branch meeting, or fixed when it was created
        else:
            self.fields["party_group"].queryset = groups
            self.fields["party_group"].required = True
        if not template.steps:
            del self.fields["steps_done"]
        for flag, field in self.FLAG_FIELDS.items():
            if getattr(template, flag):
                self.fields[field].help_text = REQUIRED_BY_TEMPLATE
        if template.min_photos:
            self.fields["photos"].help_text = _("本模板要求至少 %(n)d 张照片。") % {
                "n": template.min_photos
            }

    def record_data(self) -> dict:
        data = self.cleaned_data
        fields = ("held_at", "place", "topic", "host", "recorder", "minutes", "resolutions")
        result = {f: data[f] for f in fields}
        result["steps_done"] = data.get("steps_done", [])
        return result


def attendance_from_post(post) -> list[dict]:
    """`att-<member id>` = status, `reason-<member id>` = reason, for every member posted."""
    rows = []
    for key, status in post.items():
        if key.startswith("att-") and key[4:].isdigit():
            member_id = int(key[4:])
            rows.append(
                {
                    "member": member_id,
                    "status": status,
                    "reason": post.get(f"reason-{member_id}", "")[:200],
                }
            )
    return rows


def sheet_as_posted(sheet: list[SheetRow], post) -> list[SheetRow]:
    """The sheet with what the user chose and typed, to show it again after a refusal."""
    for row in sheet:
        row.status = post.get(f"att-{row.member.pk}", row.status)
        row.reason = post.get(f"reason-{row.member.pk}", row.reason)
    return sheet


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class RecordFilterForm(FilterBar):
    """The record list's filters. `kinds` (several template kinds) and `status` come from the
    links of the self-assessment's online scores ("查看全部 N 条"): kept as hidden fields, named
    above the list (`summary`)."""

    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *MeetingKind.choices]
    )
    month = forms.DateField(
        label=_("月份"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DayInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DayInput())
    kinds = forms.MultipleChoiceField(
        required=False, choices=MeetingKind.choices, widget=forms.MultipleHiddenInput
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", ""), *RecordStatus.choices],
        widget=forms.HiddenInput,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "month": data["month"] if isinstance(data["month"], datetime.date) else None,
            "kinds": data["kinds"],
            "since": data["since"],
            "until": data["until"],
            "status": data["status"],
        }

    def summary(self) -> str:
        """The hidden filters in words ("支委会、支部党员大会 · 已记录"), empty when none."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        names = dict(MeetingKind.choices)
        parts = [gettext("、").join(str(names[k]) for k in data["kinds"])] if data["kinds"] else []
        if data["status"]:
            parts.append(str(RecordStatus(data["status"]).label))
        return " · ".join(parts)


ATTENDANCE_CHOICES = AttendanceStatus.choices
