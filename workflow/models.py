"""Shared building blocks: the audit trail, in-app notifications, and the abstract bases of
uploaded files, photos, submitted revisions and chain-reviewed objects that several apps keep.

A small model rather than django-auditlog: what we must record is a *domain* event (an
approval, a return, a publication) with its actor, from → to state and the reviewer's comment,
not a diff of model fields, and reviewers read it as the object's timeline."""

import datetime
import posixpath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import ChoiceLabels
from common.formats import local_datetime


class JobStatus(models.TextChoices):
    """The states of a file generated in the background (a bulletin, an export): queued →
    running → done or failed."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


class BackgroundJob(models.Model):
    """What a page shows of work done in a Celery task: its state, a percentage the task
    updates as it goes (`workflow.background.report_progress`), the error, when it last moved."""

    status = models.CharField(
        _("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_percent",
            ),
        ]

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def upload_path(instance, filename):
    """`upload_to` for the bases below: the concrete model's `upload_dir`, dated as a string
    `upload_to` would be, so each model keeps its own directory under one field definition."""
    return posixpath.join(datetime.datetime.now().strftime(instance.upload_dir), filename)


class StoredFile(models.Model):
    """An uploaded document with the name and type it came with (`uploads.save_document`
    fills it). The concrete model adds its owner and sets `upload_dir`."""

    upload_dir = ""

    file = models.FileField(_("文件"), upload_to=upload_path)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def delete_with_file(self):
        """Delete the row, and its file once that has committed: a rolled-back deletion keeps
        both, and a row deleted any other way leaves the file stored."""
        storage, name = self.file.storage, self.file.name
        self.delete()
        transaction.on_commit(lambda: storage.delete(name))


class Photo(models.Model):
    """A photo re-encoded by `uploads.clean_image`, with its thumbnail (`uploads.save_photo`
    stores both). The concrete model adds its owner and sets `upload_dir`."""

    upload_dir = ""

    image = models.ImageField(upload_to=upload_path)
    thumb = models.ImageField(upload_to=upload_path)

    class Meta:
        abstract = True

    def __str__(self):
        return self.image.name


class SubmittedRevision(models.Model):
    """What was submitted, frozen once per submission and kept for ever, so reviewers can
    compare versions. The concrete model adds its owner, ordering and uniqueness."""

    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class ChainReviewed(ChoiceLabels, models.Model):
    """An object reviewed level by level up the tree's approval chain (`workflow.transitions`:
    `chain_review`, `enter_chain`, `climb_chain`, `chain_version`): who applied, the reviewing
    unit whose turn it is, the revision under review and when it was submitted. The concrete
    model declares its `status` (its own states) and names the one meaning "in review"."""

    #: The concrete model's state while a level reviews it (each model names its own).
    in_review_state: str

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The reviewing unit whose turn it is while in review (from the tree's approval chain).
    current_level = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("当前审核层级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revision_number = models.PositiveIntegerField(_("版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def level_in_review(self):
        """The level reviewing it now; None unless it is in review. `current_level` stays set
        after a return (the resubmission goes back there) and a rejection (where it ended)."""
        return self.current_level if self.status == self.in_review_state else None


def _committee_of(unit_id, path=None):
    """The committee (市分公司党委 / 直属党委) above unit `unit_id` today, as a subquery the
    INSERT itself evaluates (no query of its own). With the unit's `path` at hand (the unit
    loaded in the same transaction) the subquery looks the committee up by that path's prefix
    (one index probe, and cheaper to build than the nested one)."""
    from branches.selectors import COMMITTEE_PATH_LEN, committee_key

    units = AuditEntry._meta.get_field("unit").related_model.objects
    if path is not None:
        return Subquery(units.filter(path=path[:COMMITTEE_PATH_LEN]).values("pk")[:1])
    return Subquery(
        units.filter(
            path=Subquery(units.filter(pk=unit_id).values(p=committee_key("path"))[:1])
        ).values("pk")[:1]
    )


class AuditEntryQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each new entry's `committee`: from its unit when loaded (a publication passes
        its rows' units), else one query per 5,000 units; one query for the committees."""
        from branches.selectors import committee_ids

        objs = list(objs)
        todo = [e for e in objs if e.unit_id and e.committee_id is None]
        if todo:
            field = AuditEntry._meta.get_field("unit")
            units = {e.unit_id: e.unit for e in todo if field.is_cached(e)}
            missing = sorted({e.unit_id for e in todo} - set(units))
            for i in range(0, len(missing), 5000):
                chunk = field.related_model.objects.filter(pk__in=missing[i : i + 5000])
                units.update((u.pk, u) for u in chunk.only("pk", "path"))
            committees = committee_ids(units.values())
            for e in todo:
                e.committee_id = committees.get(e.unit_id)
        return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200)
    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The unit's committee when the event happened, kept when the unit later moves to another
    # committee: a past month's figures (the bulletin) count the event where it was.
    committee = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("所属党委（当时）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    action = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{local_datetime(self.at)} {self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        """A new entry records its unit's committee as of now (`committee`)."""
        filled = self._state.adding and self.unit_id is not None and self.committee_id is None
        if filled:
            unit = self._meta.get_field("unit")
            path = (
                unit.get_cached_value(self).__dict__.get("path") if unit.is_cached(self) else None
            )
            self.committee_id = _committee_of(self.unit_id, path)
        super().save(*args, **kwargs)
        if filled:
            del self.__dict__["committee_id"]  # read back from the row when asked


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self):
        return self.title


class ReminderLog(models.Model):
    """One row per reminder sent: (recipient, window object, days before). The unique
    constraint makes "each reminder exactly once" hold even when two workers run the job."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    days_before = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒记录")
        verbose_name_plural = _("截止提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "content_type", "object_id", "days_before", "due_at"],
                name="one_reminder_per_recipient_object_offset",
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.object_id} -{self.days_before}d"


class Heartbeat(models.Model):
    """When a periodic piece of the machinery last did its work ("reaper": the worker ran the
    every-minute reaper task). /readyz reads it: a stale beat means no worker is running
    scheduled work. A database row, not the cache, so the web processes see what a worker
    wrote whatever cache they use."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("运行心跳")
        verbose_name_plural = _("运行心跳")

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class UnsentJob(models.Model):
    """The outbox of background jobs: a job whose task the broker did not take (it was
    unreachable). The job's row stays queued, it is the truth; the message is only a nudge,
    which `workflow.outbox.relay` (beat, every minute) sends again until the broker takes it."""

    job_model = models.CharField(max_length=100)  # "app_label.Model", a registered JobKind
    job_id = models.PositiveBigIntegerField()
    first_failed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        constraints = [
            models.UniqueConstraint(fields=["job_model", "job_id"], name="one_unsent_per_job")
        ]

    def __str__(self):
        return f"{self.job_model} {self.job_id} ×{self.attempts}"


class ScheduledRun(models.Model):
    """How a scheduled job (a beat task) last went, one row per task, written by the one
    wrapper every scheduled task runs in (`workflow.scheduled.scheduled_task`) and shown on
    the administrators' page of scheduled jobs. `failing_since` is set by the first failure
    after a success: the administrators are told once per outage, not at every retry."""

    task = models.CharField(_("任务"), max_length=200, unique=True)
    last_started_at = models.DateTimeField(_("最近运行"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("最近出错"), null=True, blank=True)
    last_error = models.TextField(_("错误信息"), blank=True)
    last_seconds = models.FloatField(_("耗时(秒)"), null=True, blank=True)
    failing_since = models.DateTimeField(_("连续失败起始"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")

    def __str__(self):
        return self.task
