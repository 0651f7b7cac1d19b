"""The annual work list (清单化管理 / 目标管理): a branch's tasks for one year, each with a due
date and a responsible person.

Tasks generated from the templates (`template_key` set) are one per frequency period — 支委会
twelve times, due at each month's end; 组织生活会 once, due 31 December. Whether such a task
is done is never stored: it is read from the ledger's records by the compliance selector
(`ledger.selectors.tasks`), so nothing is typed twice. A secretary's own tasks
(`template_key` empty) are ticked done with a note. One generated task per (branch, template
key, due date) is a database constraint: generating the list again adds nothing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit, UnitType

from .roster import Member
from .templates import MeetingTemplate


class WorkTask(models.Model):
    branch = models.ForeignKey(
        OrgUnit,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="ledger_tasks",
        limit_choices_to={"unit_type": UnitType.BRANCH},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    template_key = models.SlugField(
        _("模板标识"), max_length=64, blank=True, help_text=_("留空为支部自定任务。")
    )
    template = models.ForeignKey(
        MeetingTemplate,
        verbose_name=_("模板"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("生成任务时现行的模板版本。"),
    )
    title = models.CharField(_("任务"), max_length=128)
    period_start = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"))
    responsible = models.ForeignKey(
        Member,
        verbose_name=_("责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("留空由支部书记负责。"),
    )
    note = models.CharField(_("任务说明"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.CharField(_("完成情况"), max_length=200, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["branch", "due_on", "title", "pk"]
        verbose_name = _("年度工作任务")
        verbose_name_plural = _("年度工作清单")
        indexes = [
            models.Index(fields=["branch", "year", "due_on"]),
            models.Index(fields=["year", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "template_key", "due_on"],
                condition=~models.Q(template_key=""),
                name="ledger_task_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("period_start")),
                name="ledger_task_due_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.due_on:%Y-%m-%d}）"

    @property
    def is_custom(self) -> bool:
        return not self.template_key

    @property
    def period_label(self) -> str:
        """The period a generated task covers, as the list names it: "3月", "第1季度",
        "上半年", "全年"; a custom task has none."""
        if self.is_custom:
            return ""
        months = (self.due_on.year - self.period_start.year) * 12 + (
            self.due_on.month - self.period_start.month + 1
        )
        if months == 1:
            return _("%(m)d月") % {"m": self.due_on.month}
        if months == 3:
            return _("第%(q)d季度") % {"q": (self.due_on.month + 2) // 3}
        if months == 6:
            return _("上半年") if self.due_on.month == 6 else _("下半年")
        return _("全年")
