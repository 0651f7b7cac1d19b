"""Forms of a brand's life after approval. They parse input; the rules (dates, periods,
photos, partners) are enforced in brands/lifecycle.py, whose errors come back onto these
forms' fields."""

from django import forms
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit
from common.forms import MultipleFileField, MultipleFileInput, offer_shortlist

from .lifecycle import MAX_PHOTOS, current_period, recent_periods
from .models import BrandActivity, MediaPublication, Pairing, ShineRecord

TEXT_MAX_LENGTH = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _up_to_today(form, *names):
    today = timezone.localdate().isoformat()
    for name in names:
        form.fields[name].widget.attrs["max"] = today


class ActivityForm(forms.ModelForm):
    photos = MultipleFileField(
        label=_("活动照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        help_text=format_lazy(_("最多 {n} 张，每张不超过 5 MB；系统会自动压缩。"), n=MAX_PHOTOS),
    )

    class Meta:
        model = BrandActivity
        fields = ["date", "title", "text"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        self.fields["text"].widget.attrs["maxlength"] = TEXT_MAX_LENGTH
        _up_to_today(self, "date")


def period_choices(today=None, keep="") -> list:
    """The recent periods (brands.lifecycle.recent_periods) grouped for a select; `keep`, a
    value posted that is not among them, is offered too so a re-rendered form keeps it."""
    recent = recent_periods(today)
    choices = [
        (_("半年"), [(p, p) for p in recent["half"]]),
        (_("季度"), [(p, p) for p in recent["quarter"]]),
    ]
    if keep and keep not in recent["half"] + recent["quarter"]:
        choices.append((keep, keep))
    return choices


class ShineRecordForm(forms.ModelForm):
    """The period is chosen from the recent ones, this half-year pre-selected; it stays a text
    field, so the rule of what a period is stays in brands/lifecycle.py (PERIOD_RE)."""

    class Meta:
        model = ShineRecord
        fields = ["period", "kind", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "period": _("H1、H2 为上、下半年，Q1～Q4 为季度；默认本半年度。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        keep = (self.data.get("period") or "").strip() if self.is_bound else ""
        self.fields["period"].widget = forms.Select(choices=period_choices(today, keep))
        if not self.is_bound:
            self.initial.setdefault("period", current_period(today))


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["partner", "started_on", "note"]
        widgets = {"started_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"partner": _("可选择尚未创建品牌的有效党支部。")}

    def __init__(self, *args, shown, **kwargs):
        """`shown`: the candidates the select lists (a Shortlist); any branch may be posted,
        brands/lifecycle.add_pairing says at the field why one may not be paired."""
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        partner.queryset = OrgUnit.objects.all()
        partner.empty_label = _("请选择结对支部")
        partner.error_messages["invalid_choice"] = _("结对对象必须是有效的党支部。")
        offer_shortlist(self, "partner", shown)
        _up_to_today(self, "started_on")


class PublicationForm(forms.ModelForm):
    url = forms.URLField(
        label=_("链接"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("可选，仅限 http:// 或 https:// 开头的网址。"),
    )

    class Meta:
        model = MediaPublication
        fields = ["outlet", "media_level", "title", "published_on", "url"]
        widgets = {"published_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _up_to_today(self, "published_on")


class PairingNoteForm(forms.Form):
    """A dated follow-up note on a pairing (帮扶跟进)."""

    date = forms.DateField(label=_("跟进日期"), widget=DateInput())
    text = forms.CharField(
        label=_("跟进情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        _up_to_today(self, "date")


class ClusterForm(forms.Form):
    """Gather one approved brand of the subtree into the 1+N cluster."""

    brand = forms.ModelChoiceField(label=_("纳入品牌"), queryset=None, empty_label=None)

    def __init__(self, *args, candidates, shown, **kwargs):
        """`candidates` all the brands that may be gathered, `shown` those the select lists."""
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = candidates
        self.fields["brand"].empty_label = _("请选择本组织下级党组织的品牌")
        self.fields["brand"].label_from_instance = lambda b: f"{b.unit.name} · {b.name}"
        offer_shortlist(self, "brand", shown)
