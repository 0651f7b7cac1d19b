"""品牌党小组评选 (seed 004: 支部…对各党小组品牌创建工作进行评议，评选出1-2个优秀党小组…
评选结果将作为年底各种先进评选的重要参考依据): at the year's end the branch proposes its best
group(s) from the quarterly results, the reviewer above confirms, and the honour shows on the
group's brand card."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessment import POINTS


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("支部推荐")
    CONFIRMED = "confirmed", _("品牌党小组")
    DECLINED = "declined", _("未予确认")


class BrandGroupNomination(models.Model):
    branch = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="brand_group_nominations",
    )
    group = models.ForeignKey(
        "ledger.PartyGroup",
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        related_name="brand_nominations",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PROPOSED,
    )
    #: The year's accumulated published score and the rank in the branch when proposed.
    accumulated = models.DecimalField(_("累计得分"), **POINTS)
    rank = models.PositiveSmallIntegerField(_("支部内排名"))
    quarters = models.PositiveSmallIntegerField(_("已公布季度数"))
    reason = models.TextField(_("推荐理由"), max_length=1000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("推荐时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("上级意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("品牌党小组推荐")
        verbose_name_plural = _("品牌党小组推荐")
        ordering = ["-year", "rank", "pk"]
        indexes = [models.Index(fields=["status", "year"]), models.Index(fields=["branch", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="groups_one_nomination_a_year"),
        ]

    def __str__(self):
        return f"{self.group} {self.year}"
