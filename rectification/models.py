"""Rectification plans (整改) of tier-3 results, and the brand invitations of tier-1 results.

Both are opened by evaluation's publication (`follow_up.py`), once per (period, unit): the
unique constraint makes opening idempotent, whatever publishes the period again (a second
committee publication, a recomputed aggregate). They point at the assessment they came from
(SET NULL: an aggregate recomputed replaces its assessments, the plan stays and is re-linked)
and copy what their lists show (the period's name, star, total), so no list joins evaluation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import StoredFile
from workflow.windows import local_today


class PlanStatus(models.TextChoices):
    OPEN = "open", _("待制定")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("整改中")
    REPORTED = "reported", _("待验收")
    CLOSED = "closed", _("已销号")


#: The states in which the secretary edits the plan itself.
EDITABLE = (PlanStatus.OPEN, PlanStatus.RETURNED)
#: The states in which the branch still owes its part (the plan, or the completion report):
#: past the deadline in one of these, the plan is overdue.
OWED_BY_BRANCH = (PlanStatus.OPEN, PlanStatus.RETURNED, PlanStatus.SUBMITTED, PlanStatus.APPROVED)
#: Not yet closed (闭环).
UNFINISHED = (*OWED_BY_BRANCH, PlanStatus.REPORTED)


class FollowUp(models.Model):
    """What a tier follow-up copies from its assessment."""

    period = models.ForeignKey(
        "evaluation.AssessmentPeriod",
        verbose_name=_("考评周期"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    assessment = models.ForeignKey(
        "evaluation.Assessment",
        verbose_name=_("考评"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    period_name = models.CharField(_("考评周期"), max_length=100)
    star = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    total = models.DecimalField(_("最终得分"), max_digits=7, decimal_places=2, null=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True


class RectificationPlan(FollowUp):
    """A tier-3 branch's rectification: the secretary fills and submits the plan, the reviewer
    at the branch's first approval level (`reviewing_unit`, fixed when opened) approves or
    returns it; the secretary reports completion with evidence and the reviewer accepts (闭环)
    or sends it back. `deadline`: by when the branch must have reported completion."""

    reviewing_unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("审核组织"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    revision = models.PositiveIntegerField(_("修改次数"), default=0)
    deadline = models.DateField(_("整改期限"))
    problems = models.TextField(_("查摆问题"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    responsible = models.CharField(_("责任人"), max_length=60, blank=True)
    target_date = models.DateField(_("完成时限"), null=True, blank=True)
    completion = models.TextField(_("整改完成情况"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报告完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("整改计划")
        verbose_name_plural = _("整改计划")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_plan_per_result")
        ]
        indexes = [
            models.Index(fields=["reviewing_unit", "status"], name="rect_level_status"),
            models.Index(fields=["unit", "status"], name="rect_unit_status"),
            models.Index(fields=["status", "deadline"], name="rect_status_deadline"),
        ]

    def __str__(self):
        return _("%(unit)s · %(period)s 整改") % {"unit": self.unit, "period": self.period_name}

    @property
    def is_overdue(self) -> bool:
        """Past its deadline (a local date) with the branch's part still owed
        (`selectors.plans.overdue_q` is the same rule in SQL)."""
        return self.status in OWED_BY_BRANCH and self.deadline < local_today()


class PlanEvidence(StoredFile):
    """A file the branch attaches to its completion report (整改佐证)."""

    upload_dir = "rectification/evidence/%Y/%m/"

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="evidence")

    class Meta(StoredFile.Meta):
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")


class BrandInvitation(FollowUp):
    """A tier-1 (five-star) result invites the branch to file a brand (争创品牌). It shows on
    the secretary's dashboard while the branch has no live brand application."""

    class Meta:
        verbose_name = _("品牌创建邀请")
        verbose_name_plural = _("品牌创建邀请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_invitation_per_result")
        ]
        indexes = [models.Index(fields=["unit", "created_at"], name="rect_invite_unit")]

    def __str__(self):
        return _("%(unit)s · %(period)s 品牌创建邀请") % {
            "unit": self.unit,
            "period": self.period_name,
        }
