"""A results export (考评结果导出) generated in the background: at 100,000 branches the xlsx
takes tens of seconds, longer than a request should (bench/evaluation.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import BackgroundJob


class ResultsExport(BackgroundJob):
    """One per (period, user): the export covers the requester's own subtree, so it is theirs
    alone. Requesting again replaces the file once the new one is complete."""

    period = models.ForeignKey(
        "evaluation.AssessmentPeriod",
        verbose_name=_("考评周期"),
        on_delete=models.CASCADE,
        related_name="exports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("文件"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    requested_at = models.DateTimeField(_("请求时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("考评结果导出")
        verbose_name_plural = _("考评结果导出")
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(
                fields=["period", "requested_by"], name="one_results_export_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.period} · {self.requested_by}"
