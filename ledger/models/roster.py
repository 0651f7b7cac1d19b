"""The member roster (党员名册): party groups and members of one branch."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit, UnitType
from common.choices import ChoiceLabels

#: A mainland mobile number: 11 digits starting 13–19.
validate_phone = RegexValidator(
    r"^1[3-9]\d{9}$", _("手机号码格式不对，应为 11 位数字，如 13800001234。"), code="phone"
)
ADULT_AGE = 18  # the Party Constitution: members are at least eighteen


def mask_phone(phone: str) -> str:
    """138****1234: what lists, exports for readers and the audit trail show of a phone."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def _is_branch(unit) -> bool:
    return unit is not None and unit.unit_type == UnitType.BRANCH


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class PartyGroup(models.Model):
    """A party group (党小组) inside a branch; its leader (党小组长) is elected by its members."""

    branch = models.ForeignKey(
        OrgUnit,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="ledger_groups",
        limit_choices_to={"unit_type": UnitType.BRANCH},
    )
    name = models.CharField(_("党小组名称"), max_length=64)
    leader = models.ForeignKey(
        "Member",
        verbose_name=_("党小组长"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_elected_on = models.DateField(_("选举日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["branch", "name"]
        verbose_name = _("党小组")
        verbose_name_plural = _("党小组")
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="ledger_group_name_per_branch"),
            models.CheckConstraint(
                condition=models.Q(leader__isnull=True) | models.Q(leader_elected_on__isnull=False),
                name="ledger_group_leader_has_election_date",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.branch_id and not _is_branch(self.branch):
            errors["branch"] = _("党小组只能设在党支部下。")
        if self.leader_id:
            if self.leader.party_group_id != self.pk or not self.leader.is_active:
                errors["leader"] = _("党小组长须为本小组的在册党员。")
            if self.leader_elected_on is None:
                errors["leader_elected_on"] = _("请填写党小组长的选举日期。")
        if errors:
            raise ValidationError(errors)


class Member(ChoiceLabels, models.Model):
    """One party member on a branch's roster. Members who leave are deactivated (with the
    date), not deleted: the ledger's attendance records will point at them."""

    branch = models.ForeignKey(
        OrgUnit,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="ledger_members",
        limit_choices_to={"unit_type": UnitType.BRANCH},
    )
    party_group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("党小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    joined_on = models.DateField(_("入党日期"))
    full_member_on = models.DateField(_("转正日期"), null=True, blank=True)
    status = models.CharField(
        _("党员状态"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    post = models.CharField(_("岗位"), max_length=64, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_phone])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_member",
    )
    is_active = models.BooleanField(_("在册"), default=True)
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["branch", "name", "pk"]
        verbose_name = _("党员")
        verbose_name_plural = _("党员名册")
        indexes = [models.Index(fields=["branch", "is_active", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(full_member_on__isnull=True)
                | models.Q(full_member_on__gte=models.F("joined_on")),
                name="ledger_member_full_after_joined",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="probationary") | models.Q(full_member_on__isnull=True),
                name="ledger_probationary_not_full",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def clean(self):
        """The roster's rules, each reported at its field, in Chinese."""
        errors = {}
        today = timezone.localdate()
        if self.branch_id and not _is_branch(self.branch):
            errors["branch"] = _("党员只能编入党支部。")
        if self.party_group_id and self.party_group.branch_id != self.branch_id:
            errors["party_group"] = _("所选党小组不属于该党支部。")
        if self.joined_on:
            if self.joined_on > today:
                errors["joined_on"] = _("入党日期不能晚于今天。")
            elif self.birth_date and self.joined_on < _years_after(self.birth_date, ADULT_AGE):
                errors["joined_on"] = _("入党时须年满十八周岁，请核对出生日期和入党日期。")
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("出生日期不能晚于今天。")
        if self.full_member_on:
            if self.status == MemberStatus.PROBATIONARY:
                errors["full_member_on"] = _("预备党员尚未转正，不应填写转正日期。")
            elif self.joined_on and self.full_member_on < self.joined_on:
                errors["full_member_on"] = _("转正日期不能早于入党日期。")
            elif self.full_member_on > today:
                errors["full_member_on"] = _("转正日期不能晚于今天。")
        if not self.is_active and self.left_on is None:
            errors["left_on"] = _("请填写离开日期。")
        if errors:
            raise ValidationError(errors)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
