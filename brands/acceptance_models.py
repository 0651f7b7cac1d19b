"""验收评审 scored on the five-force table (品牌五力): each time the committee judges a brand's
acceptance it fills the table's items; the result is kept here, on the brand (brands/README.md
says why not as an evaluation Assessment). Imported by `brands.models`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 7, "decimal_places": 2}


class AcceptanceReview(models.Model):
    """One acceptance judgement of a brand: the five-force table version it was scored on,
    the total, rate and star as `evaluation.scoring.compute` gave them, and whether it passed
    (`brands.acceptance.PASS_RATE`, the threshold in force, kept in `pass_rate`). `current`
    marks the brand's latest judgement (one per brand): the score other apps read."""

    application = models.ForeignKey(
        "brands.BrandApplication",
        verbose_name=_("品牌"),
        on_delete=models.CASCADE,
        related_name="acceptance_reviews",
    )
    table_version = models.ForeignKey(
        "evaluation.TableVersion",
        verbose_name=_("评价表版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(_("验收得分"), **POINTS)
    max_total = models.DecimalField(_("满分"), **POINTS)
    rate = models.DecimalField(_("得分率(%)"), **POINTS)
    star = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    is_vetoed = models.BooleanField(_("一票否决"), default=False)
    pass_rate = models.DecimalField(_("通过得分率(%)"), **POINTS)
    passed = models.BooleanField(_("验收通过"))
    current = models.BooleanField(_("最新验收"), default=True)
    comment = models.TextField(_("验收意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评审时间"))

    class Meta:
        ordering = ["application", "-reviewed_at", "-pk"]
        verbose_name = _("验收评分")
        verbose_name_plural = _("验收评分")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(current=True),
                name="one_current_acceptance_per_brand",
            )
        ]
        indexes = [
            # the standing among built brands (flagship): passed current scores by rate
            models.Index(
                fields=["rate"],
                condition=Q(current=True, passed=True),
                name="brand_acceptance_standing",
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.total}/{self.max_total}"


class AcceptanceItemScore(models.Model):
    """One item of the five-force table as the committee scored it at acceptance; `basis`
    is what the portal knew when it pre-filled it (an online rule's grounds), or blank."""

    review = models.ForeignKey(AcceptanceReview, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(
        "evaluation.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), **POINTS)
    basis = models.TextField(_("评分依据"), blank=True)

    class Meta:
        verbose_name = _("验收指标得分")
        verbose_name_plural = _("验收指标得分")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "indicator"], name="one_acceptance_score_per_item"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.score}"
