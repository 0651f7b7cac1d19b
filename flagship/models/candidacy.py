"""A branch's candidacy in a cycle: its review up the tree, revisions, attachments, objections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models import ChainReviewed, StoredFile, SubmittedRevision

from .common import POINTS
from .cycle import FlagshipCycle


class CandidacyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    ACCEPTED = "accepted", _("已入围")
    REJECTED = "rejected", _("未通过")
    LOCKED = "locked", _("逾期未提交")
    DISQUALIFIED = "disqualified", _("取消资格")


EDITABLE_STATUSES = (CandidacyStatus.DRAFT, CandidacyStatus.RETURNED)


class Candidacy(ChainReviewed):
    """创建申报: one branch's application in one cycle. The brand's six elements and the latest
    evaluation results are not typed in: they are read from the brand and evaluation and frozen
    in the snapshots at each submission."""

    in_review_state = CandidacyStatus.IN_REVIEW

    cycle = models.ForeignKey(
        FlagshipCycle,
        verbose_name=_("评选周期"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="flagship_candidacies",
    )
    brand = models.ForeignKey(
        "brands.BrandApplication",
        verbose_name=_("品牌"),
        on_delete=models.PROTECT,
        related_name="flagship_candidacies",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=CandidacyStatus.choices,
        default=CandidacyStatus.DRAFT,
        db_index=True,
    )
    actual_practices = models.TextField(_("实际做法"), blank=True)
    highlights = models.TextField(_("品牌亮点"), blank=True)
    brand_snapshot = models.JSONField(_("品牌要素快照"), default=dict, blank=True)
    results_snapshot = models.JSONField(_("考评结果快照"), default=dict, blank=True)
    accepted_at = models.DateTimeField(_("入围时间"), null=True, blank=True)

    # Management phase (培育管理).
    plan = models.TextField(_("两年创建计划"), blank=True)
    plan_filed_at = models.DateTimeField(_("计划提交时间"), null=True, blank=True)

    # Committee review (评审).
    veto_checked_at = models.DateTimeField(_("否决项核查时间"), null=True, blank=True)
    veto_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    veto_found = models.BooleanField(_("存在否决事项"), default=False)
    veto_note = models.TextField(_("否决项核查说明"), blank=True)

    # Decision (frozen when the chair decides).
    is_unit = models.BooleanField(_("示范单位"), default=False, db_index=True)
    unit_rank = models.PositiveSmallIntegerField(_("评审排名"), null=True, blank=True)
    committee_score = models.DecimalField(_("评审委员会评分"), null=True, blank=True, **POINTS)
    vote_count = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    base_score = models.DecimalField(_("示范基地综合分"), null=True, blank=True, **POINTS)
    is_base = models.BooleanField(_("示范基地"), default=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["cycle", "unit__path"]
        verbose_name = _("旗舰品牌创建申报")
        verbose_name_plural = _("旗舰品牌创建申报")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                name="one_candidacy_per_cycle",
                violation_error_message=_("该党支部已在本周期申报。"),
            ),
            models.CheckConstraint(
                condition=Q(is_base=False) | Q(is_unit=True),
                name="base_is_a_unit",
                violation_error_message=_("示范基地须从示范单位中产生。"),
            ),
        ]
        indexes = [models.Index(fields=["current_level", "status", "submitted_at"])]

    def __str__(self):
        return f"{self.unit} · {self.cycle}"

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


class CandidacyRevision(SubmittedRevision):
    """The candidacy as submitted, once per submission; kept for ever."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        ordering = ["candidacy", "number"]
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "number"], name="unique_candidacy_revision"
            )
        ]

    def __str__(self):
        return f"{self.candidacy} v{self.number}"


class AttachmentKind(models.TextChoices):
    APPLICATION = "application", _("申报附件")
    SUMMARY = "summary", _("总结材料")


class CandidacyAttachment(StoredFile):
    upload_dir = "flagship/attachments/%Y/%m/"

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=20, choices=AttachmentKind.choices)

    class Meta(StoredFile.Meta):
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) to a candidate during the public notice, by a logged-in user;
    handled by the committee. Upholding it disqualifies the candidate."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("异议内容"))
    status = models.CharField(
        _("处理状态"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
        db_index=True,
    )
    response = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "author"],
                condition=Q(status="open"),
                name="one_open_objection_per_author",
                violation_error_message=_("您对该单位的异议尚在处理中。"),
            )
        ]

    def __str__(self):
        return f"{self.candidacy}: {self.text[:30]}"
