"""Work templates (模板化管理): what each kind of meeting or activity must contain, how often.

Versioned data. All versions of one template share a `key`; exactly one is current. A
published version is never changed in place — the ledger's records will say which version
they were held under — so an edit creates the next version (`services.templates`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import OrgUnit

from ..kinds import MeetingKind


class Attendees(models.TextChoices):
    ALL_MEMBERS = "all_members", _("全体党员")
    COMMITTEE = "committee", _("支部委员会")
    GROUP = "group", _("党小组")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


#: The content flags a record made under a template must fill (the ledger checks them).
CONTENT_FLAGS = (
    "needs_topic",
    "needs_host",
    "needs_recorder",
    "needs_attendance",
    "needs_minutes",
    "needs_resolutions",
    "needs_materials",
)
#: What a new version copies from the previous one (everything that is content).
VERSIONED_FIELDS = (
    "kind",
    "name",
    "attendees",
    "frequency",
    "required_count",
    "per_member",
    "steps",
    *CONTENT_FLAGS,
    "min_photos",
    "owner",
)


class MeetingTemplate(models.Model):
    key = models.SlugField(_("模板标识"), max_length=64, help_text=_("同一模板的各版本共用。"))
    version = models.PositiveIntegerField(_("版本号"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    kind = models.CharField(_("类别"), max_length=24, choices=MeetingKind.choices)
    name = models.CharField(_("模板名称"), max_length=64)
    attendees = models.CharField(
        _("参加对象"), max_length=16, choices=Attendees.choices, default=Attendees.ALL_MEMBERS
    )
    frequency = models.CharField(_("频次"), max_length=16, choices=Frequency.choices)
    required_count = models.PositiveSmallIntegerField(
        _("每周期至少次数"), default=1, help_text=_("每个频次周期内至少开展的次数。")
    )
    per_member = models.BooleanField(
        _("按每名党员计"), default=False, help_text=_("如谈心谈话：每名党员每周期至少一次。")
    )
    steps = models.JSONField(_("规定步骤"), default=list, blank=True)
    needs_topic = models.BooleanField(_("须填主题"), default=True)
    needs_host = models.BooleanField(_("须填主持人"), default=False)
    needs_recorder = models.BooleanField(_("须填记录人"), default=False)
    needs_attendance = models.BooleanField(_("须记出席"), default=True)
    needs_minutes = models.BooleanField(_("须有会议记录"), default=False)
    needs_resolutions = models.BooleanField(_("须有决议"), default=False)
    needs_materials = models.BooleanField(_("须附材料"), default=False)
    min_photos = models.PositiveSmallIntegerField(_("至少照片数"), default=0)
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("制定单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("留空为省公司统一模板；党委制定的模板仅本党委下级可见。"),
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "name", "-version"]
        verbose_name = _("工作模板")
        verbose_name_plural = _("工作模板")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="ledger_template_version"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(is_current=True),
                name="ledger_template_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(required_count__gte=1), name="ledger_template_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name}（v{self.version}）"

    def save(self, *args, **kwargs):
        """A published version is frozen: only retiring it (`is_current`) may be written."""
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"is_current"}:
            raise ValueError("a published template version never changes; revise it instead")
        super().save(*args, **kwargs)

    def clean(self):
        steps = self.steps
        if not isinstance(steps, list) or not all(isinstance(s, str) and s for s in steps):
            raise ValidationError(
                {"steps": _('规定步骤须为文字列表，如 ["确定议题", "会议记录"]。')}
            )

    def content(self) -> dict:
        return {field: getattr(self, field) for field in VERSIONED_FIELDS}

    @property
    def required_flags(self) -> list[str]:
        """The labels of the content a record must fill, for the list page."""
        flags = [
            str(self._meta.get_field(f).verbose_name) for f in CONTENT_FLAGS if getattr(self, f)
        ]
        return flags
