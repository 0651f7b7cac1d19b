"""省级品牌评选 (seed 000: the best built brands are 评选 as 省公司级品牌): a yearly round the
province opens with a quota and a window; in the window the committees propose built brands of
their subtree and score them; after it the province decides each proposal within the quota and
publishes, which makes the selected brands provincial-level brands (brands' `level`)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

POINTS = {"max_digits": 7, "decimal_places": 2}


class RoundStatus(models.TextChoices):
    OPEN = "open", _("推荐评审中")
    PUBLISHED = "published", _("已公布")


class SelectionRound(models.Model):
    year = models.PositiveIntegerField(pgettext_lazy("calendar year", "年度"), unique=True)
    title = models.CharField(_("评选名称"), max_length=100)
    quota = models.PositiveSmallIntegerField(_("入选名额"))
    opens_on = models.DateField(_("推荐开始日期"))
    closes_on = models.DateField(_("推荐截止日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN
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
        ordering = ["-year"]
        verbose_name = _("省级品牌评选")
        verbose_name_plural = _("省级品牌评选")
        constraints = [
            models.CheckConstraint(condition=Q(quota__gte=1), name="selection_quota_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="selection_window_ordered"
            ),
        ]

    def __str__(self):
        return self.title


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待评定")
    SELECTED = "selected", _("入选")
    NOT_SELECTED = "not_selected", _("未入选")


class Proposal(models.Model):
    """A committee's proposal of one built brand of its subtree, its committee score (the
    brand's acceptance rate on the five-force table is copied as the basis), and the
    province's decision with its reason."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("评选"), on_delete=models.CASCADE, related_name="proposals"
    )
    application = models.ForeignKey(
        "brands.BrandApplication",
        verbose_name=_("品牌"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("推荐党委"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("推荐理由"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    acceptance_rate = models.DecimalField(_("验收得分率(%)"), null=True, blank=True, **POINTS)
    score = models.DecimalField(_("党委评分"), null=True, blank=True, **POINTS)
    score_note = models.TextField(_("评分说明"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    status = models.CharField(
        _("评定结果"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    decision_reason = models.TextField(_("评定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("品牌推荐")
        verbose_name_plural = _("品牌推荐")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"],
                name="one_proposal_per_brand_and_round",
                violation_error_message=_("该品牌已在本次评选中被推荐。"),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="selection_score_range",
            ),
        ]
        indexes = [models.Index(fields=["round", "committee"], name="selection_committee")]

    def __str__(self):
        return f"{self.round} · {self.unit}"
