"""Assessment periods (考评周期) and the publications of their results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .tables import TableVersion


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    ANNUAL = "annual", _("年度")


#: Which kind an aggregate period sums up (月评价 → 季评星 → 年定级).
SOURCE_KIND = {PeriodKind.QUARTERLY: PeriodKind.MONTHLY, PeriodKind.ANNUAL: PeriodKind.QUARTERLY}


class AssessmentPeriod(models.Model):
    """考评周期. A filled period is scored by the branches between `opens_on` and `closes_on`
    (inclusive, local dates: `evaluation.windows.fill_window`) and reviewed; an aggregate
    period computes its results from its source periods (see `scoring.aggregate`)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("周期类型"), max_length=12, choices=PeriodKind.choices)
    table_version = models.ForeignKey(
        TableVersion, verbose_name=_("评价表版本"), on_delete=models.PROTECT, related_name="periods"
    )
    scope = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("考评范围"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该组织及其下级的所有考评对象参加本周期考评。"),
    )
    starts_on = models.DateField(_("考评期开始"))
    ends_on = models.DateField(_("考评期结束"))
    opens_on = models.DateField(_("填报开始日期"))
    closes_on = models.DateField(_("填报截止日期"))
    is_aggregate = models.BooleanField(
        _("汇总周期"),
        default=False,
        help_text=_("季度汇总各月、年度汇总各季度的已发布结果，不单独填报。"),
    )
    sources = models.ManyToManyField(
        "self", verbose_name=_("汇总来源"), symmetrical=False, blank=True, related_name="+"
    )
    aggregated_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    schedule = models.ForeignKey(
        "evaluation.Schedule",
        verbose_name=_("考评日程"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="periods",
        help_text=_("由考评日程自动创建的周期。"),
    )
    # None: created by a schedule's beat (`schedule`).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "kind", "pk"]
        verbose_name = _("考评周期")
        verbose_name_plural = _("考评周期")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")),
                name="period_dates_ordered",
                violation_error_message=_("考评期结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")),
                name="period_window_ordered",
                violation_error_message=_("填报截止日期不能早于填报开始日期。"),
            ),
            models.UniqueConstraint(
                fields=["table_version", "scope", "kind", "starts_on"],
                name="unique_period",
                violation_error_message=_("该范围已有同一评价表、同一类型、同一起始日期的周期。"),
            ),
            # A schedule creates each of its periods once, whatever the table version (the
            # claim two concurrent beat runs race for).
            models.UniqueConstraint(
                fields=["schedule", "kind", "starts_on"],
                condition=Q(schedule__isnull=False),
                name="unique_scheduled_period",
            ),
        ]

    def __str__(self):
        return self.name

    def source_slots(self) -> int:
        """How many source periods this aggregate averages over, from its own dates: the
        months a quarter spans (3), the quarters a year spans (4). A source period that is
        missing or unpublished still counts in the divisor, as 0 (the documented rule), so a
        quarter aggregated with two of its months does not score as if it had only two."""
        months = (self.ends_on.year - self.starts_on.year) * 12
        months += self.ends_on.month - self.starts_on.month + 1
        if SOURCE_KIND.get(self.kind) == PeriodKind.QUARTERLY:
            return max(1, -(-months // 3))
        return max(1, months)


class PeriodPublication(models.Model):
    """A committee published its part of a period (the province may publish the whole)."""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="publications"
    )
    unit = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("发布数量"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("结果发布")
        verbose_name_plural = _("结果发布")

    def __str__(self):
        return f"{self.period} · {self.unit}"
