"""A flagship cycle: its phases, dates and numbers, its review committee and scoring table."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .common import PERCENT, POINTS


class Phase(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    APPLICATION = "application", _("申报阶段")
    NOTICE = "notice", _("公示阶段")
    MANAGEMENT = "management", _("培育管理阶段")
    REVIEW = "review", _("评审阶段")
    VOTING = "voting", _("公开投票阶段")
    AWARDED = "awarded", _("已公布表彰")


PHASE_ORDER = list(Phase.values)


class ScoreAggregate(models.TextChoices):
    MEAN = "mean", _("平均分")
    MEDIAN = "median", _("中位数")


class FlagshipCycle(models.Model):
    """旗舰品牌评选周期: years Y1–Y2, the phase dates and the cycle's numbers."""

    name = models.CharField(_("名称"), max_length=100)
    year_start = models.PositiveSmallIntegerField(
        _("起始年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    year_end = models.PositiveSmallIntegerField(
        _("结束年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    phase = models.CharField(
        _("阶段"), max_length=20, choices=Phase.choices, default=Phase.PLANNED, db_index=True
    )

    application_opens_on = models.DateField(_("申报开始日期"))
    application_closes_on = models.DateField(_("申报截止日期"))
    notice_starts_on = models.DateField(_("公示开始日期"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notice_published_on = models.DateField(_("实际公示日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    summary_deadline = models.DateField(_("总结材料提交截止日期"))
    review_starts_on = models.DateField(_("评审开始日期"))
    decision_deadline = models.DateField(_("评审结果确定截止日期"))

    quota = models.PositiveSmallIntegerField(
        _("示范单位名额"), default=20, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    base_share_cap = models.DecimalField(
        _("示范基地比例上限(%)"), default=Decimal(30), validators=PERCENT, **POINTS
    )
    standing_top_share = models.DecimalField(
        _("六好、五力排名前列比例(%)"),
        null=True,
        blank=True,
        default=Decimal(30),
        validators=PERCENT,
        help_text=_(
            "申报单位最近一期已发布的六好党支部和品牌五力结果，均须位居全省该期结果的前列"
            "（名次不超过总数 × 此比例，向上取整）；留空不检查排名。"
        ),
        **POINTS,
    )
    validity_years = models.PositiveSmallIntegerField(
        _("荣誉有效期(年)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    honour_expires_on = models.DateField(_("荣誉有效期至"))
    votes_per_member = models.PositiveSmallIntegerField(
        _("每人可投票数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    vote_days = models.PositiveSmallIntegerField(
        _("投票天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    vote_opens_at = models.DateTimeField(_("投票开始时间"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("投票截止时间"), null=True, blank=True)
    score_aggregate = models.CharField(
        _("评委评分汇总方式"),
        max_length=10,
        choices=ScoreAggregate.choices,
        default=ScoreAggregate.MEAN,
    )
    disagreement_threshold = models.DecimalField(
        _("分歧提示阈值(标准差)"),
        default=Decimal(10),
        validators=[MinValueValidator(0)],
        help_text=_("评委打分的标准差超过该值时，提示主任委员关注。"),
        **POINTS,
    )
    vote_weight = models.DecimalField(
        _("示范基地评选中投票权重(%)"),
        default=Decimal(40),
        validators=PERCENT,
        help_text=_("其余权重为评审委员会评分。"),
        **POINTS,
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("工作报告间隔(月)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year_start", "-pk"]
        verbose_name = _("旗舰品牌评选周期")
        verbose_name_plural = _("旗舰品牌评选周期")
        constraints = [
            models.UniqueConstraint(
                fields=["year_start"],
                name="one_flagship_cycle_per_start_year",
                violation_error_message=_("该起始年度已有评选周期。"),
            ),
            models.CheckConstraint(
                condition=Q(year_end__gte=F("year_start")),
                name="flagship_years_ordered",
                violation_error_message=_("结束年度不能早于起始年度。"),
            ),
            models.CheckConstraint(
                condition=Q(application_opens_on__lte=F("application_closes_on"))
                & Q(application_closes_on__lte=F("notice_starts_on"))
                & Q(notice_starts_on__lte=F("summary_deadline"))
                & Q(summary_deadline__lt=F("review_starts_on"))
                & Q(review_starts_on__lte=F("decision_deadline"))
                & Q(decision_deadline__lte=F("honour_expires_on")),
                name="flagship_dates_ordered",
                violation_error_message=_(
                    "各阶段日期须依次为：申报开始 ≤ 申报截止 ≤ 公示开始 ≤ 总结截止 < 评审开始 ≤ "
                    "结果确定 ≤ 荣誉有效期至。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(base_share_cap__gte=0)
                & Q(base_share_cap__lte=100)
                & Q(vote_weight__gte=0)
                & Q(vote_weight__lte=100),
                name="flagship_percentages_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A member of the cycle's review committee (评审委员会). The chair (主任委员) is the member
    with `is_chair`; at most one per cycle (database constraint). A cycle starts with every
    holder of the FLAGSHIP_COMMITTEE role, the earliest-granted as chair; the province may
    change both."""

    cycle = models.ForeignKey(
        FlagshipCycle, on_delete=models.CASCADE, related_name="committee_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审委员"),
        on_delete=models.PROTECT,
        related_name="flagship_memberships",
    )
    is_chair = models.BooleanField(_("主任委员"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_chair", "added_at", "pk"]
        verbose_name = _("评审委员")
        verbose_name_plural = _("评审委员")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="one_membership_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(is_chair=True), name="one_chair_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.user}"


class CriterionSource(models.TextChoices):
    SIX_GOOD = "six_good", _("六好党支部考评结果")
    FIVE_FORCES = "five_forces", _("品牌五力评价结果")
    MANUAL = "manual", _("评委评定")


class ReviewCriterion(models.Model):
    """One line of the committee's scoring table for a cycle. A criterion fed by an evaluation
    result suggests `rate × max_points` to the member, who confirms or adjusts it."""

    cycle = models.ForeignKey(FlagshipCycle, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("编码"), max_length=30)
    name = models.CharField(_("评分项"), max_length=60)
    max_points = models.DecimalField(
        _("分值"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    source = models.CharField(
        _("参考来源"),
        max_length=20,
        choices=CriterionSource.choices,
        default=CriterionSource.MANUAL,
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["cycle", "sort_order", "pk"]
        verbose_name = _("评审评分项")
        verbose_name_plural = _("评审评分项")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="unique_criterion_code")
        ]

    def __str__(self):
        return self.name
