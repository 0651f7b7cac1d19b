"""考评日程: the rhythm of a scoring table in a scope, set once by the province; beat creates
the periods it brings due (`services.schedules`, rule in `rhythm.py`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import rhythm
from .tables import ScoringTable

DAY = [MinValueValidator(1), MaxValueValidator(31)]


class Schedule(models.Model):
    table = models.ForeignKey(
        ScoringTable, verbose_name=_("评价表"), on_delete=models.PROTECT, related_name="schedules"
    )
    scope = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("考评范围"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该组织及其下级的所有考评对象参加按日程创建的周期。"),
    )
    first_month = models.DateField(
        _("起始月份"), help_text=_("从该月起每月自动创建月度考评周期（取该月1日）。")
    )
    open_day = models.PositiveSmallIntegerField(
        _("填报开始日（当月）"),
        default=1,
        validators=DAY,
        help_text=_("每月考评自当月该日开始填报；超过当月天数按月末计。"),
    )
    close_day = models.PositiveSmallIntegerField(
        _("填报截止日（次月）"),
        default=10,
        validators=DAY,
        help_text=_("次月该日填报截止；超过次月天数按月末计。"),
    )
    quarterly = models.BooleanField(
        _("季度汇总（季评星）"),
        default=True,
        help_text=_("季度结束且三个月的结果均已发布后，自动汇总季度结果。"),
    )
    annual = models.BooleanField(
        _("年度汇总（年定级）"),
        default=True,
        help_text=_("四个季度均已汇总后，自动汇总年度结果（须同时启用季度汇总）。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["table__sort_order", "scope__path"]
        verbose_name = _("考评日程")
        verbose_name_plural = _("考评日程")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "scope"],
                name="unique_schedule",
                violation_error_message=_("该范围已为该评价表设置了考评日程。"),
            ),
        ]

    def __str__(self):
        return f"{self.table} · {self.scope}"

    def clean(self):
        if self.first_month:
            self.first_month = self.first_month.replace(day=1)
        if self.annual and not self.quarterly:
            raise ValidationError({"annual": _("年度结果由各季度汇总，须同时启用季度汇总。")})

    def rhythm(self) -> rhythm.Rhythm:
        return rhythm.Rhythm(
            first_month=self.first_month.replace(day=1),
            open_day=self.open_day,
            close_day=self.close_day,
            quarterly=self.quarterly,
            annual=self.annual and self.quarterly,
        )
