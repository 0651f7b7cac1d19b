"""Org tree (党组织), users and the roles they hold per unit."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from common.choices import ChoiceLabels

from .cache import tree_changed
from .signals import subtree_moved


class UnitType(models.TextChoices):
    PROVINCE = "province", _("省公司党委")
    CITY = "city", _("市分公司党委")
    DIRECT = "direct", _("省公司直属党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    PARTY_GROUP = "party_group", _("党小组")


#: Units that head a committee's pages and bulletins: the province and the committees under it.
COMMITTEE_TYPES = (UnitType.PROVINCE, UnitType.CITY, UnitType.DIRECT)
#: The committees directly under the province (市分公司党委, 直属党委), at the tree's depth 2:
#: what lists filter "by city" (not the province, which is all of them).
CITY_COMMITTEE_TYPES = (UnitType.CITY, UnitType.DIRECT)
REVIEWING_TYPES = (UnitType.GENERAL_BRANCH, UnitType.CITY, UnitType.DIRECT, UnitType.PROVINCE)


class BranchCategory(models.TextChoices):
    """The five branch categories of the "5521" model."""

    PRODUCTION = "production", _("生产类")
    AUXILIARY = "auxiliary", _("辅助类")
    MANAGEMENT = "management", _("综合管理类")
    MARKET = "market", _("市场经营类")
    NON_PUBLIC = "non_public", _("非公改制类")


class Region(models.Model):
    """A geographic grouping (片区) of units; data, not code, so the province can regroup."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("片区")
        verbose_name_plural = _("片区")

    def __str__(self):
        return self.name


class OrgUnitManager(MP_NodeManager):
    def move(self, node, target, pos=None):
        """treebeard's move (it rewrites the subtree's paths with queries, not `save`), then
        what depends on where a unit sits: the cached tree figures and other apps' copies."""
        with transaction.atomic():
            super().move(node, target, pos)
            subtree_moved.send(sender=OrgUnit, path=node.path)
            transaction.on_commit(tree_changed)


class OrgUnit(ChoiceLabels, MP_Node):
    """A party organisation. The materialized path (`path`, indexed) makes subtree queries a
    single `path LIKE 'prefix%'` lookup, never a Python walk."""

    steplen = 4

    unit_type = models.CharField(_("类型"), max_length=20, choices=UnitType.choices, db_index=True)
    code = models.CharField(_("组织编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128, db_index=True)
    category = models.CharField(
        _("支部类别"), max_length=20, choices=BranchCategory.choices, blank=True, db_index=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("片区"), on_delete=models.PROTECT, null=True, blank=True
    )
    member_count = models.PositiveIntegerField(_("党员人数"), default=0)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("书记"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        tree_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        tree_changed()
        return result

    @property
    def is_branch(self):
        return self.unit_type == UnitType.BRANCH


class Role(models.TextChoices):
    SECRETARY = "secretary", _("支部书记/党务工作者")
    REVIEWER = "reviewer", _("党委/党总支审核人")
    PROVINCE_REVIEWER = "province_reviewer", _("省公司党建工作部审核人")
    FLAGSHIP_COMMITTEE = "flagship_committee", _("旗舰品牌评审委员")
    ADMIN = "admin", _("系统管理员")


class EmailPreference(models.TextChoices):
    AUTO = "auto", _("自动（审核人每日汇总，其他人即时）")
    IMMEDIATE = "immediate", _("每条通知即时发送邮件")
    DIGEST = "digest", _("每日一封汇总邮件")


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    email_preference = models.CharField(
        _("邮件提醒方式"),
        max_length=12,
        choices=EmailPreference.choices,
        default=EmailPreference.AUTO,
    )
    # Set when an administrator gives the user a temporary password; until the user chooses
    # their own, branches.middleware sends every page to the password change.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def wants_digest(self) -> bool:
        """Reviewers, who may get many items a day, default to one daily digest."""
        if self.email_preference == EmailPreference.AUTO:
            reviewing = {Role.REVIEWER, Role.PROVINCE_REVIEWER, Role.FLAGSHIP_COMMITTEE}
            return any(ra.role in reviewing for ra in self.role_assignments)
        return self.email_preference == EmailPreference.DIGEST

    @cached_property
    def role_assignments(self):
        """This user's roles with their units; loaded once per request."""
        return list(self.roles.select_related("unit"))


class RoleAssignment(ChoiceLabels, models.Model):
    """A role a user holds at one unit; its scope is that unit's subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
