"""五个一 innovation drive (seed 004): members file items of five kinds; the group and the branch
review them in their meetings (a ledger record), select the best and recommend them upward."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InnovationKind(models.TextChoices):
    SUGGESTION = "suggestion", _("合理化建议")
    IMPROVEMENT = "improvement", _("自主改善")
    ACHIEVEMENT = "achievement", _("创新成果")
    PROCESS = "process", _("新工艺")
    RECORD = "record", _("新纪录")


class InnovationStatus(models.TextChoices):
    FILED = "filed", _("已申报")
    SELECTED = "selected", _("支部评选")
    RECOMMENDED = "recommended", _("已向上推荐")
    NOT_SELECTED = "not_selected", _("未入选")


class InnovationItem(models.Model):
    branch = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="innovation_items",
    )
    member = models.ForeignKey(
        "ledger.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="innovation_items",
    )
    #: The member's group when the item was filed (counts per group stay put after a move).
    party_group = models.ForeignKey(
        "ledger.PartyGroup",
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="innovation_items",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=InnovationKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("内容与成效"), max_length=2000)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=14, choices=InnovationStatus.choices, default=InnovationStatus.FILED
    )
    #: The group or branch meeting (ledger record) in which the item was reviewed.
    reviewed_in = models.ForeignKey(
        "ledger.MeetingRecord",
        verbose_name=_("评议会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="innovation_items",
    )
    decision_note = models.CharField(_("评议意见"), max_length=200, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("五个一项目")
        verbose_name_plural = _("五个一项目")
        ordering = ["-year", "-filed_at", "-pk"]
        indexes = [models.Index(fields=["branch", "year", "status"])]

    def __str__(self):
        return self.title
