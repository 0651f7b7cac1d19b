"""The ledger's records (台账): one meeting or activity held under a work template, who
attended, its photos and its materials.

A record points at the exact `MeetingTemplate` *version* it was recorded on: the template may
be revised later, and last year's record must still be judged by the rules it was kept under.
Whether a record's month is locked is not stored: it follows from the meeting's date and the
clock (`ledger.locking`), so no job has to run for a month to close."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit, UnitType
from common.choices import ChoiceLabels
from workflow.models import Photo, StoredFile

from .roster import Member, PartyGroup
from .templates import MeetingTemplate


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RECORDED = "recorded", _("已记录")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class MeetingRecord(ChoiceLabels, models.Model):
    branch = models.ForeignKey(
        OrgUnit,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="ledger_records",
        limit_choices_to={"unit_type": UnitType.BRANCH},
    )
    party_group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    template = models.ForeignKey(
        MeetingTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="records"
    )
    #: 主题党日 "1+N": a party group's own record held as its part of the branch's theme day
    #: (`services.theme_days.link_theme_day`). The group's record counts for the group, the
    #: theme day once for the branch (`selectors.counting`).
    theme_day = models.ForeignKey(
        "self",
        verbose_name=_("所属主题党日"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_activities",
    )
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=128, blank=True)
    topic = models.CharField(_("会议议题"), max_length=200, blank=True)
    host = models.ForeignKey(
        Member,
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorder = models.ForeignKey(
        Member,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("会议决议"), blank=True)
    steps_done = models.JSONField(_("已完成步骤"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    #: Bumped by every write: a form posted from a page older than the record is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        indexes = [models.Index(fields=["branch", "held_at"])]
        constraints = [
            # One record per meeting: NULL groups are distinct in a unique index, hence two.
            models.UniqueConstraint(
                fields=["template", "branch", "held_at"],
                condition=models.Q(party_group__isnull=True),
                name="ledger_record_one_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["template", "party_group", "held_at"],
                condition=models.Q(party_group__isnull=False),
                name="ledger_record_one_per_group_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(recorded_at__isnull=False),
                name="ledger_record_recorded_has_time",
            ),
            # only a party group's record is attached to a theme day (the "N" of "1+N")
            models.CheckConstraint(
                condition=models.Q(theme_day__isnull=True) | models.Q(party_group__isnull=False),
                name="ledger_record_theme_day_part_is_a_groups",
            ),
        ]

    def __str__(self):
        return f"{self.template.name} {self.held_at:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        from ..locking import is_locked

        return is_locked(self.held_at)


class Attendance(models.Model):
    record = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("台账记录"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("出席情况"), max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField(_("请假原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["record", "member__name", "member_id"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [
            models.UniqueConstraint(fields=["record", "member"], name="ledger_attendance_once"),
            models.CheckConstraint(
                condition=~models.Q(status="leave") | ~models.Q(reason=""),
                name="ledger_attendance_leave_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.status}"


class MeetingPhoto(Photo):
    upload_dir = "ledger/photos/%Y/%m/"

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="photos")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")


class MeetingAttachment(StoredFile):
    upload_dir = "ledger/attachments/%Y/%m/"

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
