"""推先表彰 (seed 003: the year-end selection of advanced branches): a round draws its list from
the top of a period's published province-wide ranking, the province leaves out or puts back
units with a reason, then publishes the list; the honours show on the units' pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("拟定中")
    PUBLISHED = "published", _("已公布")


class HonourRound(models.Model):
    title = models.CharField(_("表彰名称"), max_length=100)
    period = models.ForeignKey(
        "evaluation.AssessmentPeriod",
        verbose_name=_("依据的考评周期"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quota = models.PositiveSmallIntegerField(_("表彰名额"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        constraints = [
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="honour_quota_positive"),
        ]

    def __str__(self):
        return self.title


class Honour(models.Model):
    """A unit on a round's list, at its province rank in the period; `included` False: left
    out by the province, with the reason."""

    round = models.ForeignKey(HonourRound, on_delete=models.CASCADE, related_name="honours")
    unit = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("全省排名"))
    total = models.DecimalField(_("最终得分"), max_digits=7, decimal_places=2)
    star = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    included = models.BooleanField(_("列入名单"), default=True)
    reason = models.CharField(_("调整理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["round", "rank", "unit_id"]
        verbose_name = _("表彰对象")
        verbose_name_plural = _("表彰对象")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="honour_once_per_round"),
        ]
        indexes = [models.Index(fields=["unit", "included"], name="honour_unit")]

    def __str__(self):
        return f"{self.round} · {self.unit}"
