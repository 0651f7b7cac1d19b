"""A monthly bulletin of one scope (the province or a city / directly-affiliated committee)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import BackgroundJob, JobStatus

#: A bulletin's states are those of any background job.
BulletinStatus = JobStatus


class Bulletin(BackgroundJob):
    """One bulletin per (month, scope), kept for ever. Regenerating a month replaces its two
    files atomically: the new files are written under new names and the row is switched to
    them in one transaction, so a download always gets a complete file (see services)."""

    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    scope = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("通报范围"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    xlsx = models.FileField(_("Excel 文件"), max_length=200, blank=True)
    docx = models.FileField(_("Word 文件"), max_length=200, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空表示由定时任务自动生成。"),
    )
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("请求时间"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        ordering = ["-month", "scope__path"]
        verbose_name = _("月度通报")
        verbose_name_plural = _("月度通报")
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(fields=["month", "scope"], name="one_bulletin_per_month_scope"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.scope}"

    @property
    def has_files(self) -> bool:
        return bool(self.xlsx.name and self.docx.name)
