"""党小组动态考评 (seed 004): each quarter the branch scores each of its party groups on the
party-group table (evaluation's `party-group-quarterly`, versioned data), the scores accumulate
over the year and the groups rank within their branch. Run by the branch, not by reviewers
above (they read): draft → submitted, which publishes the result to the group."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 7, "decimal_places": 2}

#: The scoring table the branch scores its groups on (shipped by evaluation's migrations).
GROUP_TABLE_CODE = "party-group-quarterly"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交公布")


class GroupAssessment(models.Model):
    branch = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="group_assessments",
    )
    group = models.ForeignKey(
        "ledger.PartyGroup",
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    #: The table version scored on (its items are frozen once published).
    version = models.ForeignKey(
        "evaluation.TableVersion",
        verbose_name=_("考评表版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    total = models.DecimalField(_("得分"), default=0, **POINTS)
    max_total = models.DecimalField(_("满分"), default=0, **POINTS)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党小组季度考评")
        verbose_name_plural = _("党小组季度考评")
        ordering = ["-year", "-quarter", "group__name", "pk"]
        indexes = [models.Index(fields=["branch", "year", "quarter"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "quarter"], name="groups_one_assessment_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="groups_assessment_quarter_1_4",
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.year}Q{self.quarter}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class GroupScore(models.Model):
    """One item of one group's quarter. `system_points` is the portal's own figure for an item
    bound to a party-group rule (ledger meetings, 五个一, pioneer posts) with its `basis`;
    `points` is what counts — the system figure, or the branch's adjustment with a `note`."""

    assessment = models.ForeignKey(GroupAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(
        "evaluation.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    system_points = models.DecimalField(_("系统评分"), null=True, blank=True, **POINTS)
    basis = models.TextField(_("评分依据"), blank=True)
    points = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考评得分")
        verbose_name_plural = _("考评得分")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="groups_one_score_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.indicator_id}"
