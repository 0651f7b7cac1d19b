"""The committee's review: each member's scores on the table, and site visits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Photo

from .candidacy import Candidacy
from .common import POINTS
from .cycle import ReviewCriterion


class CommitteeScore(models.Model):
    """One member's submitted score of one candidate. It exists only once submitted: members
    score independently and a score, once in, is final."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(_("总分"), **POINTS)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["candidacy", "submitted_at", "pk"]
        verbose_name = _("评委评分")
        verbose_name_plural = _("评委评分")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "member"],
                name="one_score_per_member",
                violation_error_message=_("您已对该单位评分。"),
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.candidacy}: {self.total}"


class CommitteeScoreItem(models.Model):
    score = models.ForeignKey(CommitteeScore, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **POINTS)

    class Meta:
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="one_item_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class SiteVisit(models.Model):
    """实地考察: date, the members who went, findings and photos."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("考察日期"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("考察成员"), related_name="+"
    )
    findings = models.TextField(_("考察情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("实地考察")
        verbose_name_plural = _("实地考察")

    def __str__(self):
        return f"{self.candidacy} {self.visited_on}"


class SiteVisitPhoto(Photo):
    upload_dir = "flagship/visits/%Y/%m/"

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("考察照片")
        verbose_name_plural = _("考察照片")
