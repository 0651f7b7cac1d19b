"""Scoring tables as versioned data: table → version → dimensions → indicators. A published
version is frozen: editing it means creating a new version (`services.tables.new_version`)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from branches.models import BranchCategory, UnitType
from common.choices import ChoiceLabels

from .. import online

POINTS = {"max_digits": 7, "decimal_places": 2}


class Subject(models.TextChoices):
    """What a table scores: the unit type of its assessments (members: later phase)."""

    BRANCH = UnitType.BRANCH, _("党支部")
    PARTY_GROUP = UnitType.PARTY_GROUP, _("党小组")
    MEMBER = "member", _("党员")


class ScoringTable(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    subject = models.CharField(
        _("考评对象"), max_length=20, choices=Subject.choices, default=Subject.BRANCH
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("考核评价表")
        verbose_name_plural = _("考核评价表")

    def __str__(self):
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class TableVersion(models.Model):
    """One version of a table. Star thresholds are score rates (% of the table maximum) so the
    same rule serves a 100-point and a 50-point table: rate ≥ star5_rate gives 5 stars, …,
    below star2_rate gives 1 star."""

    table = models.ForeignKey(
        ScoringTable, verbose_name=_("评价表"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    allow_negative = models.BooleanField(
        _("允许扣分至负分"),
        default=False,
        help_text=_("不勾选时，扣分项目最多扣至 0 分。"),
    )
    max_star_rise = models.PositiveSmallIntegerField(
        _("季度星级至多晋升"),
        null=True,
        blank=True,
        help_text=_("逐级晋升：季评星比上一季度至多提高的星级数；留空不限。"),
    )
    bonus_cap = models.DecimalField(
        _("加分上限"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("上级党组织可为一次考评记录的加分合计上限；留空表示本版本不设加分项。"),
        **POINTS,
    )
    star2_rate = models.DecimalField(_("二星得分率(%)"), default=Decimal(60), **POINTS)
    star3_rate = models.DecimalField(_("三星得分率(%)"), default=Decimal(70), **POINTS)
    star4_rate = models.DecimalField(_("四星得分率(%)"), default=Decimal(80), **POINTS)
    star5_rate = models.DecimalField(_("五星得分率(%)"), default=Decimal(90), **POINTS)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["table", "-number"]
        verbose_name = _("评价表版本")
        verbose_name_plural = _("评价表版本")
        constraints = [
            models.UniqueConstraint(fields=["table", "number"], name="unique_table_version"),
            models.CheckConstraint(
                condition=Q(star2_rate__gte=0)
                & Q(star2_rate__lte=F("star3_rate"))
                & Q(star3_rate__lte=F("star4_rate"))
                & Q(star4_rate__lte=F("star5_rate"))
                & Q(star5_rate__lte=100),
                name="star_thresholds_monotone",
                violation_error_message=_("星级得分率须满足 0 ≤ 二星 ≤ 三星 ≤ 四星 ≤ 五星 ≤ 100。"),
            ),
        ]

    def __str__(self):
        return f"{self.table.name} v{self.number}"

    def save(self, *args, **kwargs):
        # A published version is frozen; only the draft → published step itself may save.
        if self.pk and TableVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED):
            raise ValidationError(_("已发布的评价表版本不可修改，请新建版本后编辑。"))
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == VersionStatus.PUBLISHED

    @property
    def thresholds(self):
        from ..scoring import Thresholds  # pure module, no Django

        return Thresholds(self.star2_rate, self.star3_rate, self.star4_rate, self.star5_rate)


class FrozenWhenPublished(models.Model):
    """Rows of a published version are immutable; the admin and import create new versions."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _version(self):
        raise NotImplementedError

    def _guard(self):
        version = self._version()
        if version is not None and version.status == VersionStatus.PUBLISHED:
            raise ValidationError(_("已发布的评价表版本不可修改，请新建版本后编辑。"))


class Dimension(FrozenWhenPublished):
    version = models.ForeignKey(
        TableVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("编码"), max_length=20)
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["version", "sort_order", "pk"]
        verbose_name = _("维度/指数")
        verbose_name_plural = _("维度/指数")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_dimension_code")
        ]

    def __str__(self):
        return self.name

    def _version(self):
        return TableVersion.objects.filter(pk=self.version_id).first()


class DimensionWeight(FrozenWhenPublished):
    """A dimension's weight for the branches of one category (分类权重): the total of such a
    branch counts the dimension's score, and its maximum, this many times. A dimension
    without a row for the category weighs 1 (the unweighted total)."""

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("维度/指数"), on_delete=models.CASCADE, related_name="weights"
    )
    category = models.CharField(_("支部类别"), max_length=20, choices=BranchCategory.choices)
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("该类别支部的总分中，本维度得分与满分乘以此权重；未设置时为 1。"),
    )

    class Meta:
        ordering = ["dimension__sort_order", "category"]
        verbose_name = _("分类权重")
        verbose_name_plural = _("分类权重")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "category"], name="one_weight_per_dimension_category"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=10),
                name="dimension_weight_range",
                violation_error_message=_("权重须在 0 到 10 之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.dimension} · {self.get_category_display()} × {self.weight}"

    def _version(self):
        return TableVersion.objects.filter(dimensions=self.dimension_id).first()


class IndicatorKind(models.TextChoices):
    BASIC = "basic", _("基础指标")
    SPECIAL = "special", _("专项指标")
    DEDUCTION = "deduction", _("扣分项目")
    VETO = "veto", _("否决项目")


class Indicator(ChoiceLabels, FrozenWhenPublished):
    """`max_points` is the most an item can earn, or for a deduction the most it can take
    off; a veto item has no points (its score is 1 when triggered). A non-blank `category`
    makes the item a variant that applies only to branches of that category."""

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("维度/指数"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("编码"), max_length=30)
    name = models.CharField(_("指标名称"), max_length=100)
    description = models.TextField(_("考评内容"), blank=True)
    method = models.TextField(_("评分方法"), blank=True)
    kind = models.CharField(
        _("类型"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.BASIC
    )
    max_points = models.DecimalField(
        _("分值"), validators=[MinValueValidator(0), MaxValueValidator(1000)], **POINTS
    )
    category = models.CharField(
        _("适用支部类别"),
        max_length=20,
        choices=BranchCategory.choices,
        blank=True,
        help_text=_("留空表示适用于所有类别。"),
    )
    online_rule = models.CharField(
        _("线上评分"),
        max_length=30,
        blank=True,
        choices=online.choices(),
        help_text=_("留空由支部自评；选定后由系统根据门户中已有的数据评分，支部不可修改。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["dimension__sort_order", "sort_order", "pk"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="unique_indicator_code")
        ]

    def __str__(self):
        return self.name

    def _version(self):
        return TableVersion.objects.filter(dimensions=self.dimension_id).first()

    def clean(self):
        if self.online_rule and self.kind not in (IndicatorKind.BASIC, IndicatorKind.SPECIAL):
            raise ValidationError({"online_rule": _("只有基础指标和专项指标可以线上评分。")})
        if self.kind == IndicatorKind.VETO and self.max_points:
            raise ValidationError({"max_points": _("否决项目不计分，分值请填 0。")})
        if self.kind != IndicatorKind.VETO and not self.max_points:
            raise ValidationError({"max_points": _("请填写大于 0 的分值。")})
