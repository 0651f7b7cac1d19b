from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from branches.models import BranchCategory
from common.forms import CommitteeFilterForm
from common.uploads import LOGO_MAX_BYTES

from .models import BrandApplication, BrandType, Level, Reshaping, Status


class BrandApplicationForm(forms.ModelForm):
    """The six elements. A draft needs its name (every list shows it); the rest may be
    incomplete, completeness is checked on submission."""

    measures_text = forms.CharField(
        label=_("创建举措"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条举措，按实施顺序填写。"),
    )
    logo_upload = forms.FileField(
        label=_("品牌标识"),
        required=False,
        help_text=format_lazy(
            _("PNG、JPEG 或 WEBP 图片，不超过 {mb} MB，手机照片可直接上传；系统会自动压缩。"),
            mb=LOGO_MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = BrandApplication
        fields = ["name", "slogan", "brand_type", "core_idea", "goal", "results"]
        widgets = {
            "core_idea": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"name": {"required": _("请填写品牌名称，保存草稿也需要名称。")}}
        help_texts = {
            "name": _("简洁鲜明，体现支部特色，不超过 60 字。"),
            "slogan": _("一句话传播语，不超过 120 字。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        if self.instance and self.instance.measures and not self.is_bound:
            self.initial["measures_text"] = "\n".join(self.instance.measures)

    def content(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["measures"] = [
            line.strip() for line in self.cleaned_data["measures_text"].splitlines() if line.strip()
        ]
        return data


class ReshapingForm(BrandApplicationForm):
    """品牌重塑: the six elements as the brand should become, and why."""

    class Meta(BrandApplicationForm.Meta):
        model = Reshaping
        fields = ["reason", *BrandApplicationForm.Meta.fields]
        widgets = {**BrandApplicationForm.Meta.widgets, "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            **BrandApplicationForm.Meta.help_texts,
            "reason": _("为什么重塑：品牌内涵、举措或定位的变化。"),
        }


class StartReshapingForm(forms.Form):
    reason = forms.CharField(label=_("重塑说明"), required=False, max_length=2000)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("PDF、Word、Excel、PowerPoint 或图片，不超过 20 MB。"),
    )


class BrandFilterForm(CommitteeFilterForm):
    """The filters a list of brands offers (the applications, the showcase)."""

    q = forms.CharField(label=_("品牌或支部名称"), required=False, max_length=60)
    category = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("全部")), *BranchCategory.choices]
    )
    brand_type = forms.ChoiceField(
        label=_("创建类型"), required=False, choices=[("", _("全部")), *BrandType.choices]
    )
    field_order = ["q", "city", "category", "brand_type"]


class ApplicationFilterForm(BrandFilterForm):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Status.choices]
    )
    min_waiting_days = forms.IntegerField(
        label=_("等待天数≥"), required=False, min_value=0, max_value=3650
    )


class ShowcaseFilterForm(BrandFilterForm):
    level = forms.ChoiceField(
        label=_("品牌级别"), required=False, choices=[("", _("全部")), *Level.choices]
    )
