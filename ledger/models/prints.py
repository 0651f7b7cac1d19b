"""The printable ledger (纸质台账): one Word file per branch and period (a year or a quarter),
generated in the background like the monthly bulletin (`workflow.models.BackgroundJob`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit
from workflow.models import BackgroundJob


class PrintPeriod(models.TextChoices):
    YEAR = "year", _("全年")
    QUARTER = "quarter", _("季度")


class LedgerPrint(BackgroundJob):
    """A branch's ledger for one period as a DOCX. One row per (branch, period), shared by
    everyone who may read the branch's roster: the file masks phones for all of them, so
    whoever asked, the same file is right for every reader. Regenerating switches the row to
    a new file in one transaction (see `ledger.printing.services`)."""

    branch = models.ForeignKey(
        OrgUnit, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间类型"), max_length=8, choices=PrintPeriod.choices)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    docx = models.FileField(_("Word 文件"), max_length=200, blank=True)
    record_count = models.PositiveIntegerField(_("记录数"), default=0)
    photo_count = models.PositiveIntegerField(_("照片数"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("请求人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("请求时间"), null=True, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)

    class Meta(BackgroundJob.Meta):
        ordering = ["-start", "branch_id"]
        verbose_name = _("纸质台账")
        verbose_name_plural = _("纸质台账")
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(
                fields=["branch", "start", "end"], name="ledger_print_one_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.branch_id} {self.start:%Y-%m-%d}…{self.end:%Y-%m-%d}"
