"""Flagship brand (旗舰品牌) demonstration units and bases, chosen in a biennial cycle.

A cycle (FlagshipCycle) runs through declared phases: application (申报) → public notice (公示)
→ management (培育管理) → committee review (评审) → public vote (公开投票) → awards (表彰).
Branches whose brand is built file a candidacy (创建申报) that is reviewed up the org tree like a
brand application; the review committee (评审委员会: CommitteeMember rows of the cycle, one of
them the chair) scores the accepted candidates independently, the chair names the demonstration
units (示范单位, at most `quota`), every logged-in user may vote for up to K of them (one
ballot per cycle, enforced by the database), and the chair names the bases (示范基地, at most
`base_share_cap` % of the units) from a weighting of vote share and committee score. An honour
(Honour) is valid until the cycle's `honour_expires_on`; the scheduled job marks it expired.

Every number and date is data on the cycle, with the documents' values as defaults
(services/cycle.py `default_schedule`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from workflow.models import Photo, StoredFile, SubmittedRevision

POINTS = {"max_digits": 7, "decimal_places": 2}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Phase(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    APPLICATION = "application", _("申报阶段")
    NOTICE = "notice", _("公示阶段")
    MANAGEMENT = "management", _("培育管理阶段")
    REVIEW = "review", _("评审阶段")
    VOTING = "voting", _("公开投票阶段")
    AWARDED = "awarded", _("已公布表彰")


PHASE_ORDER = list(Phase.values)


class ScoreAggregate(models.TextChoices):
    MEAN = "mean", _("平均分")
    MEDIAN = "median", _("中位数")


class FlagshipCycle(models.Model):
    """旗舰品牌评选周期: years Y1–Y2, the phase dates and the cycle's numbers."""

    name = models.CharField(_("名称"), max_length=100)
    year_start = models.PositiveSmallIntegerField(
        _("起始年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    year_end = models.PositiveSmallIntegerField(
        _("结束年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    phase = models.CharField(
        _("阶段"), max_length=20, choices=Phase.choices, default=Phase.PLANNED, db_index=True
    )

    application_opens_on = models.DateField(_("申报开始日期"))
    application_closes_on = models.DateField(_("申报截止日期"))
    notice_starts_on = models.DateField(_("公示开始日期"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notice_published_on = models.DateField(_("实际公示日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    summary_deadline = models.DateField(_("总结材料提交截止日期"))
    review_starts_on = models.DateField(_("评审开始日期"))
    decision_deadline = models.DateField(_("评审结果确定截止日期"))

    quota = models.PositiveSmallIntegerField(
        _("示范单位名额"), default=20, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    base_share_cap = models.DecimalField(
        _("示范基地比例上限(%)"), default=Decimal(30), validators=PERCENT, **POINTS
    )
    validity_years = models.PositiveSmallIntegerField(
        _("荣誉有效期(年)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    honour_expires_on = models.DateField(_("荣誉有效期至"))
    votes_per_member = models.PositiveSmallIntegerField(
        _("每人可投票数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    vote_days = models.PositiveSmallIntegerField(
        _("投票天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    vote_opens_at = models.DateTimeField(_("投票开始时间"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("投票截止时间"), null=True, blank=True)
    score_aggregate = models.CharField(
        _("评委评分汇总方式"),
        max_length=10,
        choices=ScoreAggregate.choices,
        default=ScoreAggregate.MEAN,
    )
    disagreement_threshold = models.DecimalField(
        _("分歧提示阈值(标准差)"),
        default=Decimal(10),
        validators=[MinValueValidator(0)],
        help_text=_("评委打分的标准差超过该值时，提示主任委员关注。"),
        **POINTS,
    )
    vote_weight = models.DecimalField(
        _("示范基地评选中投票权重(%)"),
        default=Decimal(40),
        validators=PERCENT,
        help_text=_("其余权重为评审委员会评分。"),
        **POINTS,
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("工作报告间隔(月)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year_start", "-pk"]
        verbose_name = _("旗舰品牌评选周期")
        verbose_name_plural = _("旗舰品牌评选周期")
        constraints = [
            models.UniqueConstraint(
                fields=["year_start"],
                name="one_flagship_cycle_per_start_year",
                violation_error_message=_("该起始年度已有评选周期。"),
            ),
            models.CheckConstraint(
                condition=Q(year_end__gte=F("year_start")),
                name="flagship_years_ordered",
                violation_error_message=_("结束年度不能早于起始年度。"),
            ),
            models.CheckConstraint(
                condition=Q(application_opens_on__lte=F("application_closes_on"))
                & Q(application_closes_on__lte=F("notice_starts_on"))
                & Q(notice_starts_on__lte=F("summary_deadline"))
                & Q(summary_deadline__lt=F("review_starts_on"))
                & Q(review_starts_on__lte=F("decision_deadline"))
                & Q(decision_deadline__lte=F("honour_expires_on")),
                name="flagship_dates_ordered",
                violation_error_message=_(
                    "各阶段日期须依次为：申报开始 ≤ 申报截止 ≤ 公示开始 ≤ 总结截止 < 评审开始 ≤ "
                    "结果确定 ≤ 荣誉有效期至。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(base_share_cap__gte=0)
                & Q(base_share_cap__lte=100)
                & Q(vote_weight__gte=0)
                & Q(vote_weight__lte=100),
                name="flagship_percentages_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A member of the cycle's review committee (评审委员会). The chair (主任委员) is the member
    with `is_chair`; at most one per cycle (database constraint). A cycle starts with every
    holder of the FLAGSHIP_COMMITTEE role, the earliest-granted as chair; the province may
    change both."""

    cycle = models.ForeignKey(
        FlagshipCycle, on_delete=models.CASCADE, related_name="committee_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审委员"),
        on_delete=models.PROTECT,
        related_name="flagship_memberships",
    )
    is_chair = models.BooleanField(_("主任委员"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_chair", "added_at", "pk"]
        verbose_name = _("评审委员")
        verbose_name_plural = _("评审委员")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="one_membership_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(is_chair=True), name="one_chair_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.user}"


class CriterionSource(models.TextChoices):
    SIX_GOOD = "six_good", _("六好党支部考评结果")
    FIVE_FORCES = "five_forces", _("品牌五力评价结果")
    MANUAL = "manual", _("评委评定")


class ReviewCriterion(models.Model):
    """One line of the committee's scoring table for a cycle. A criterion fed by an evaluation
    result suggests `rate × max_points` to the member, who confirms or adjusts it."""

    cycle = models.ForeignKey(FlagshipCycle, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("编码"), max_length=30)
    name = models.CharField(_("评分项"), max_length=60)
    max_points = models.DecimalField(
        _("分值"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    source = models.CharField(
        _("参考来源"),
        max_length=20,
        choices=CriterionSource.choices,
        default=CriterionSource.MANUAL,
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["cycle", "sort_order", "pk"]
        verbose_name = _("评审评分项")
        verbose_name_plural = _("评审评分项")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="unique_criterion_code")
        ]

    def __str__(self):
        return self.name


class CandidacyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    ACCEPTED = "accepted", _("已入围")
    REJECTED = "rejected", _("未通过")
    LOCKED = "locked", _("逾期未提交")
    DISQUALIFIED = "disqualified", _("取消资格")


EDITABLE_STATUSES = (CandidacyStatus.DRAFT, CandidacyStatus.RETURNED)


class Candidacy(models.Model):
    """创建申报: one branch's application in one cycle. The brand's six elements and the latest
    evaluation results are not typed in: they are read from the brand and evaluation and frozen
    in the snapshots at each submission."""

    cycle = models.ForeignKey(
        FlagshipCycle,
        verbose_name=_("评选周期"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="flagship_candidacies",
    )
    brand = models.ForeignKey(
        "brands.BrandApplication",
        verbose_name=_("品牌"),
        on_delete=models.PROTECT,
        related_name="flagship_candidacies",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=CandidacyStatus.choices,
        default=CandidacyStatus.DRAFT,
        db_index=True,
    )
    current_level = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("当前审核层级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actual_practices = models.TextField(_("实际做法"), blank=True)
    highlights = models.TextField(_("品牌亮点"), blank=True)
    brand_snapshot = models.JSONField(_("品牌要素快照"), default=dict, blank=True)
    results_snapshot = models.JSONField(_("考评结果快照"), default=dict, blank=True)
    revision_number = models.PositiveIntegerField(_("版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
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


class CommitteeScore(models.Model):
    """One member's submitted score of one candidate. It exists only once submitted: members
    score independently and a score, once in, is final."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(_("总分"), **POINTS)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["candidacy", "submitted_at", "pk"]
        verbose_name = _("评委评分")
        verbose_name_plural = _("评委评分")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "member"],
                name="one_score_per_member",
                violation_error_message=_("您已对该单位评分。"),
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.candidacy}: {self.total}"


class CommitteeScoreItem(models.Model):
    score = models.ForeignKey(CommitteeScore, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **POINTS)

    class Meta:
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="one_item_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class SiteVisit(models.Model):
    """实地考察: date, the members who went, findings and photos."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("考察日期"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("考察成员"), related_name="+"
    )
    findings = models.TextField(_("考察情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("实地考察")
        verbose_name_plural = _("实地考察")

    def __str__(self):
        return f"{self.candidacy} {self.visited_on}"


class SiteVisitPhoto(Photo):
    upload_dir = "flagship/visits/%Y/%m/"

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("考察照片")
        verbose_name_plural = _("考察照片")


class Ballot(models.Model):
    """One voter's ballot in a cycle's public vote: the unique constraint is what makes "vote
    once per cycle" hold, whatever the form or the number of concurrent requests."""

    cycle = models.ForeignKey(FlagshipCycle, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "voter"],
                name="one_ballot_per_voter_per_cycle",
                violation_error_message=_("您已在本次评选中投过票。"),
            )
        ]

    def __str__(self):
        return f"{self.voter} @ {self.cycle}"


class Vote(models.Model):
    """公开投票: one choice on a ballot. (cycle, voter, candidacy) is unique, so a unit can get at
    most one vote from a voter; the number per ballot is capped by the service that writes the
    ballot and all its votes in one transaction."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    cycle = models.ForeignKey(FlagshipCycle, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="votes")

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "voter", "candidacy"], name="one_vote_per_unit_per_voter"
            )
        ]

    def __str__(self):
        return f"{self.voter} → {self.candidacy}"


class HonourKind(models.TextChoices):
    UNIT = "unit", _("旗舰品牌示范单位")
    BASE = "base", _("旗舰品牌示范基地")


class HonourStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")


class Honour(models.Model):
    """A published award: a demonstration unit or base, valid until `valid_until` (the cycle's
    expiry date); the scheduled job marks it expired the day after."""

    cycle = models.ForeignKey(FlagshipCycle, on_delete=models.PROTECT, related_name="honours")
    candidacy = models.OneToOneField(Candidacy, on_delete=models.PROTECT, related_name="honour")
    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="flagship_honours",
    )
    kind = models.CharField(_("荣誉"), max_length=10, choices=HonourKind.choices)
    certificate_no = models.CharField(_("证书编号"), max_length=40, unique=True)
    awarded_on = models.DateField(_("授予日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=10, choices=HonourStatus.choices, default=HonourStatus.ACTIVE
    )
    expired_at = models.DateTimeField(_("过期标记时间"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "kind", "candidacy__unit_rank", "pk"]
        verbose_name = _("旗舰品牌荣誉")
        verbose_name_plural = _("旗舰品牌荣誉")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_honour_per_unit_per_cycle")
        ]
        indexes = [models.Index(fields=["unit", "status", "valid_until"])]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}（{self.cycle}）"


class ObligationKind(models.TextChoices):
    RESEARCH = "research", _("课题研究")
    REPORT = "report", _("工作报告")


class Obligation(models.Model):
    """What an honoured branch owes: at least one research topic per two years and regular
    reports. Recorded as due items when the awards are published; the branch records each
    as fulfilled."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("类别"), max_length=10, choices=ObligationKind.choices)
    title = models.CharField(_("事项"), max_length=100)
    due_on = models.DateField(_("完成期限"))
    fulfilled_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("完成情况"), blank=True)

    class Meta:
        ordering = ["honour", "due_on", "pk"]
        verbose_name = _("荣誉单位义务")
        verbose_name_plural = _("荣誉单位义务")

    def __str__(self):
        return self.title
