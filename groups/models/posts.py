"""党员先锋示范岗 and its kinds (党员责任区, 党员先锋队): a member's post with a commitment and a
term, spot checks during the term, and a review every half year (seed 004: 原则上半年评选一次,
期间可进行不定期抽查督促, 检查、评估以所在部门为主、支部委员为辅)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    POST = "post", _("党员先锋示范岗")
    ZONE = "zone", _("党员责任区")
    TEAM = "team", _("党员先锋队")


class PostStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    WITHDRAWN = "withdrawn", _("已撤销")


class PostOutcome(models.TextChoices):
    RENEW = "renew", _("继续设岗")
    COMMEND = "commend", _("表扬并继续设岗")
    WITHDRAW = "withdraw", _("撤销")


def half_of(day: datetime.date) -> str:
    """The half year a day falls in, as the reviews name it: "2026H1" / "2026H2"."""
    return f"{day.year}H{1 if day.month <= 6 else 2}"


class PioneerPost(models.Model):
    branch = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="pioneer_posts",
    )
    member = models.ForeignKey(
        "ledger.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="pioneer_posts",
    )
    kind = models.CharField(_("类别"), max_length=8, choices=PostKind.choices)
    title = models.CharField(_("岗位名称"), max_length=64)
    commitment = models.TextField(_("承诺事项"), max_length=1000)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    status = models.CharField(
        _("状态"), max_length=12, choices=PostStatus.choices, default=PostStatus.ACTIVE
    )
    commendations = models.PositiveSmallIntegerField(_("受表扬次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("先锋岗")
        verbose_name_plural = _("先锋岗")
        ordering = ["kind", "title", "pk"]
        indexes = [models.Index(fields=["branch", "status", "term_end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="groups_post_term_forward",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_kind_display()}）"

    def clean(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("任期结束须晚于任期开始。")})

    def current_on(self, day: datetime.date) -> bool:
        return self.status == PostStatus.ACTIVE and self.term_start <= day <= self.term_end


class SpotCheck(models.Model):
    post = models.ForeignKey(PioneerPost, on_delete=models.CASCADE, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"))
    finding = models.TextField(_("抽查情况"), max_length=1000)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽查记录")
        verbose_name_plural = _("抽查记录")
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return f"{self.post} {self.checked_on:%Y-%m-%d}"


class PostReview(models.Model):
    """The half-yearly evaluation: the member's department first, the branch committee second,
    then renew, commend or withdraw. One per post and half year."""

    post = models.ForeignKey(PioneerPost, on_delete=models.CASCADE, related_name="reviews")
    half = models.CharField(_("评估半年度"), max_length=6)
    department_opinion = models.TextField(_("所在部门意见"), max_length=1000)
    committee_opinion = models.TextField(_("支委会意见"), max_length=1000)
    led_by_example = models.BooleanField(_("发挥了先锋模范作用"))
    outcome = models.CharField(_("评估结果"), max_length=10, choices=PostOutcome.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("半年评估")
        verbose_name_plural = _("半年评估")
        ordering = ["-half", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "half"], name="groups_one_review_per_half"),
        ]

    def __str__(self):
        return f"{self.post} {self.half}"
