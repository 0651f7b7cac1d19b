from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import XlsxImportForm
from common.forms import FilterBar

from .models import Member, MemberStatus, PartyGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RosterFilterForm(FilterBar):
    q = forms.CharField(label=_("姓名"), required=False, max_length=64)
    group = forms.ChoiceField(label=_("党小组"), required=False)
    status = forms.ChoiceField(
        label=_("党员状态"), required=False, choices=[("", _("全部状态")), *MemberStatus.choices]
    )
    inactive = forms.BooleanField(label=_("只看已离开的党员"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["group"].choices = [
            ("", _("全部党小组")),
            ("none", _("未编组")),
            *[(pk, g.name) for pk, g in self.groups.items()],
        ]

    def filters(self) -> dict:
        """The cleaned filters; invalid input is ignored rather than failing the page."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        group = data["group"]
        return {
            "q": data["q"].strip(),
            "group": "none" if group == "none" else self.groups.get(group),
            "status": data["status"],
            "inactive": data["inactive"],
        }


class MemberForm(forms.ModelForm):
    """Add or edit a member. The model's own rules (`Member.clean`) report at the field; the
    group is chosen among the branch's groups when adding, and changed by a move afterwards."""

    reason = forms.CharField(
        label=_("修改原因"),
        required=False,
        max_length=200,
        help_text=_("选填，记入操作记录。"),
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "birth_date",
            "education",
            "joined_on",
            "status",
            "full_member_on",
            "party_group",
            "post",
            "phone",
        ]
        widgets = {"birth_date": DATE, "joined_on": DATE, "full_member_on": DATE}
        help_texts = {
            "full_member_on": _("预备党员不填；正式党员填写转正日期。"),
            "phone": _("11 位手机号码；名单中只显示部分号码。"),
        }

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        if self.instance.pk:
            del self.fields["party_group"]  # a move, with its reason, changes the group
        else:
            del self.fields["reason"]
            self.fields["party_group"].queryset = PartyGroup.objects.filter(
                branch=branch, is_active=True
            )

    def member_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class MoveForm(forms.Form):
    party_group = forms.ModelChoiceField(
        label=_("调至党小组"),
        queryset=PartyGroup.objects.none(),
        required=False,
        empty_label=_("未编组"),
    )
    branch_code = forms.CharField(
        label=_("或调至其他党支部（组织编码）"),
        required=False,
        max_length=32,
        help_text=_("只能调往您维护名册的党支部；调入后由该支部安排党小组。"),
    )
    reason = forms.CharField(label=_("调动原因"), max_length=200)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_group"].queryset = PartyGroup.objects.filter(
            branch=member.branch, is_active=True
        ).exclude(pk=member.party_group_id)


class DeactivateForm(forms.Form):
    left_on = forms.DateField(label=_("离开日期"), widget=DATE)
    reason = forms.CharField(label=_("停用原因"), max_length=200)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("党小组名称"), max_length=64)


class LeaderForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党小组长"), queryset=Member.objects.none())
    elected_on = forms.DateField(label=_("选举日期"), widget=DATE)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = group.members.filter(is_active=True).order_by("name")


class RosterImportForm(XlsxImportForm):
    """The member roster, on the roster's own template (size and content checked as for the
    org import)."""

    help_text = _("请使用名册导入模板填写，保存为 .xlsx 格式。")
