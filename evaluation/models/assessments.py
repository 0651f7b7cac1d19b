"""Assessments, their per-indicator and per-dimension scores, and evidence files."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import BranchCategory
from branches.selectors import committee_ids
from common.choices import ChoiceLabels
from workflow.models import StoredFile

from .periods import AssessmentPeriod
from .tables import POINTS, Dimension, Indicator


class Status(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", pgettext_lazy("status", "退回修改")  # the action is plain 退回修改
    REVIEWED = "reviewed", _("已验收")
    PUBLISHED = "published", _("已发布")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class Assessment(ChoiceLabels, models.Model):
    """One unit's assessment in one period. `category` and `region` are copied from the unit
    when the assessment is created (the category it was assessed in), so ranking partitions
    are local indexed columns. `committee` is the unit's committee, kept current when units
    move (`services.assessments.sync_committees`): a committee's readers list its rows off
    an index, without a join with the tree."""

    period = models.ForeignKey(
        AssessmentPeriod,
        verbose_name=_("考评周期"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    category = models.CharField(
        _("支部类别"), max_length=20, choices=BranchCategory.choices, blank=True
    )
    region = models.ForeignKey(
        "branches.Region",
        verbose_name=_("片区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committee = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("所属党委"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField(_("修改次数"), default=0)

    self_total = models.DecimalField(_("自评总分"), null=True, blank=True, **POINTS)
    #: The upper level's bonus items (加分项) summed (`BonusItem`); part of `gross_total`.
    bonus = models.DecimalField(_("加分"), default=Decimal(0), db_default=Decimal(0), **POINTS)
    gross_total = models.DecimalField(_("核定得分"), null=True, blank=True, **POINTS)
    total = models.DecimalField(_("最终得分"), null=True, blank=True, **POINTS)
    max_total = models.DecimalField(_("满分"), null=True, blank=True, **POINTS)
    rate = models.DecimalField(_("得分率(%)"), null=True, blank=True, **POINTS)
    is_vetoed = models.BooleanField(_("一票否决"), default=False)
    veto_reason = models.TextField(_("否决理由"), blank=True)
    star = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    #: The star the rate earns, kept when the step rule (逐级晋升) gave a lower `star`.
    star_by_rate = models.PositiveSmallIntegerField(_("得分率对应星级"), null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("梯队"), null=True, blank=True)
    rank_category = models.PositiveIntegerField(_("类别排名"), null=True, blank=True)
    rank_region = models.PositiveIntegerField(_("片区排名"), null=True, blank=True)
    rank_province = models.PositiveIntegerField(_("全省排名"), null=True, blank=True)
    source_count = models.PositiveSmallIntegerField(_("汇总期数"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["period", "unit__path"]
        verbose_name = _("考评")
        verbose_name_plural = _("考评")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_assessment_per_period")
        ]
        indexes = [
            models.Index(fields=["period", "status", "total"], name="eval_period_total"),
            models.Index(fields=["period", "category", "total"], name="eval_period_category"),
            models.Index(fields=["period", "region", "total"], name="eval_period_region"),
            # the rankings page: its order, its filter, and the page's ids (index-only)
            models.Index(
                fields=["period", "status", "rank_province", "unit"],
                include=["id"],
                name="eval_period_rank",
            ),
            # the same for a committee's readers (branches.selectors.scope_filter)
            models.Index(
                fields=["period", "status", "committee", "rank_province", "unit"],
                include=["id"],
                name="eval_committee_rank",
            ),
            models.Index(fields=["unit", "status"], name="eval_unit_status"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.committee_id is None:  # bulk creators pass it
            self.committee_id = committee_ids([self.unit])[self.unit_id]
        super().save(*args, **kwargs)

    @classmethod
    def for_unit(cls, period, unit, committee_id, **fields):
        """An unsaved assessment of `unit` with what it copies from the unit: its category,
        region and committee (`committee_id`, from `branches.selectors.committee_ids`)."""
        return cls(
            period=period,
            unit=unit,
            category=unit.category,
            region_id=unit.region_id,
            committee_id=committee_id,
            **fields,
        )

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


class BonusItem(models.Model):
    """A bonus item (加分项) the upper level recorded for an assessment, with its reason. The
    sum of an assessment's items is `Assessment.bonus`, capped by the version's `bonus_cap`
    (`services.bonus`). Withdrawn items are deleted; the audit trail keeps both steps."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("考评"), on_delete=models.CASCADE, related_name="bonus_items"
    )
    points = models.DecimalField(
        _("加分"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    reason = models.TextField(_("加分理由"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "recorded_at", "pk"]
        verbose_name = _("加分项")
        verbose_name_plural = _("加分项")
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gt=0), name="bonus_points_positive")
        ]

    def __str__(self):
        return f"{self.assessment} +{self.points}"


class AssessmentScore(models.Model):
    """One indicator's score. For a deduction item the score is the points taken off; for a
    veto item 1 means triggered. `reviewed_score` starts as the self score at submission and
    is what the reviewer confirmed or adjusted (with `reason`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = models.DecimalField(_("自评分"), null=True, blank=True, **POINTS)
    reviewed_score = models.DecimalField(_("核定分"), null=True, blank=True, **POINTS)
    evidence = models.TextField(_("佐证说明"), blank=True)
    reason = models.TextField(_("调整理由"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_item")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.reviewed_score}"


class DimensionScore(models.Model):
    """Per-dimension result (for the radar chart and the category averages)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="dimension_scores"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), **POINTS)
    max_points = models.DecimalField(_("满分"), **POINTS)

    class Meta:
        verbose_name = _("维度得分")
        verbose_name_plural = _("维度得分")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_score_per_dimension"
            )
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score}"


class Evidence(StoredFile):
    """An evidence file attached to one indicator of an assessment."""

    upload_dir = "evaluation/evidence/%Y/%m/"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
