"""党员考评 (issue #17 item 7; seed 002): the branch assesses its own members from the roster,
once a year, on two tables shipped by evaluation — the 双百 member table (党员百分制, 100 points)
and the member post-KPI table (党员岗位KPI, 一年度一周期) whose result is the score × the
member's coefficient for the year (KPI系数, set by the branch). The member may self-assess while
the period is open; the branch scores and publishes to its members. Nothing goes above the
branch (domain brief: restraint): a member reads their own published result only."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 7, "decimal_places": 2}

#: KPI coefficient bounds and default (seed 002: 标明党员KPI系数指标).
COEFFICIENT_DEFAULT = Decimal("1.00")
COEFFICIENT_MIN = Decimal("0.50")
COEFFICIENT_MAX = Decimal("1.50")


class MemberTable(models.TextChoices):
    DOUBLE_HUNDRED = "double_hundred", _("“双百”党员百分制考核")
    POST_KPI = "post_kpi", _("党员岗位KPI考核")


#: The evaluation scoring table each kind is scored on (shipped by evaluation's migrations).
TABLE_CODES = {
    MemberTable.DOUBLE_HUNDRED: "double-hundred-member",
    MemberTable.POST_KPI: "member-post-kpi",
}


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("考评中")
    PUBLISHED = "published", _("已公布")


class MemberPeriod(models.Model):
    """One table, one year, one branch: the members on its roster when it was opened."""

    branch = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="member_periods",
    )
    table = models.CharField(_("考评表"), max_length=20, choices=MemberTable.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.ForeignKey(
        "evaluation.TableVersion",
        verbose_name=_("考评表版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员考评")
        verbose_name_plural = _("党员考评")
        ordering = ["-year", "table", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "table", "year"], name="groups_one_member_period_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.get_table_display()} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def is_kpi(self) -> bool:
        return self.table == MemberTable.POST_KPI


class MemberAssessment(models.Model):
    """One member in one period. `total` is the branch's score on the table (`scoring.compute`);
    for the KPI table `result` = total × `coefficient` (the member's coefficient for the year,
    kept current while the period is open, frozen by publication)."""

    period = models.ForeignKey(MemberPeriod, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(
        "ledger.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    total = models.DecimalField(_("得分"), default=0, **POINTS)
    max_total = models.DecimalField(_("满分"), default=0, **POINTS)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    coefficient = models.DecimalField(_("KPI系数"), max_digits=4, decimal_places=2, null=True)
    result = models.DecimalField(_("KPI结果"), null=True, blank=True, **POINTS)
    scored = models.BooleanField(_("已定分"), default=False)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("定分时间"), null=True, blank=True)
    self_total = models.DecimalField(_("自评得分"), null=True, blank=True, **POINTS)
    self_submitted_at = models.DateTimeField(_("自评时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员考评结果")
        verbose_name_plural = _("党员考评结果")
        ordering = ["period", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "member"], name="groups_one_assessment_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.period}"


class MemberScore(models.Model):
    """One item of one member's assessment: the member's self-assessment and the branch's score."""

    assessment = models.ForeignKey(
        MemberAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        "evaluation.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    self_points = models.DecimalField(_("自评分"), null=True, blank=True, **POINTS)
    points = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)

    class Meta:
        verbose_name = _("党员考评得分")
        verbose_name_plural = _("党员考评得分")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="groups_one_member_score_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.indicator_id}"


class KpiCoefficient(models.Model):
    """A member's post-KPI coefficient for a year (KPI系数), set by the branch; a member without
    a row weighs COEFFICIENT_DEFAULT."""

    member = models.ForeignKey(
        "ledger.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(
        _("KPI系数"),
        max_digits=4,
        decimal_places=2,
        default=COEFFICIENT_DEFAULT,
        validators=[MinValueValidator(COEFFICIENT_MIN), MaxValueValidator(COEFFICIENT_MAX)],
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党员岗位KPI系数")
        verbose_name_plural = _("党员岗位KPI系数")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="groups_one_kpi_coefficient"),
            models.CheckConstraint(
                condition=Q(value__gte=COEFFICIENT_MIN) & Q(value__lte=COEFFICIENT_MAX),
                name="groups_kpi_coefficient_bounds",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.year} × {self.value}"
