"""“One branch, one brand” (一支部一品牌): applications, their revisions, attachments and the
records of a brand's life after approval."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models import ChainReviewed, Photo, StoredFile, SubmittedRevision


class BrandType(models.TextChoices):
    DEVELOPMENT = "development", _("服务发展类")
    LIVELIHOOD = "livelihood", _("服务民生类")
    PUBLIC = "public", _("服务群众类")
    MEMBERS = "members", _("服务党员类")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未通过")
    IMPLEMENTING = "implementing", _("实施推进")
    ACCEPTANCE = "acceptance", _("验收评审")
    BUILT = "built", _("已建成")


#: Statuses in which a branch's brand counts as its one live brand.
LIVE_STATUSES = [s for s in Status.values if s != Status.REJECTED]
#: Statuses in which the brand has been filed (counts towards 创建覆盖率).
FILED_STATUSES = [s for s in Status.values if s not in (Status.DRAFT, Status.REJECTED)]
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
#: Approved brands, shown on the showcase: in implementation, in acceptance review, or built.
#: Drafts, applications in review, returned and rejected ones are never shown.
SHOWCASE_STATUSES = (Status.IMPLEMENTING, Status.ACCEPTANCE, Status.BUILT)


class Level(models.TextChoices):
    BRANCH = "branch", _("支部品牌")
    PROVINCIAL = "provincial", _("省公司级品牌")


def showcase_order():
    """The brand wall's order: provincial-level brands first, then built ones, then by name.
    The expressions of an index (`brand_wall_order`), so the wall's first page is read off it
    instead of sorting every approved brand."""
    return [
        Case(When(level=Level.PROVINCIAL, then=Value(0)), default=Value(1)),
        Case(When(status=Status.BUILT, then=Value(0)), default=Value(1)),
        F("name"),
        F("id"),
    ]


class BrandElements(models.Model):
    """A brand's content (创建六要素 plus type and core idea), declared once for the brand
    application and for a reshaping that proposes new content for it. The logo stays on each
    (they are stored in different folders)."""

    name = models.CharField(_("品牌名称"), max_length=60, blank=True)
    slogan = models.CharField(_("品牌传播语"), max_length=120, blank=True)
    brand_type = models.CharField(
        _("创建类型"), max_length=20, choices=BrandType.choices, blank=True
    )
    core_idea = models.TextField(_("核心理念"), blank=True)
    goal = models.TextField(_("建设目标"), blank=True)
    measures = models.JSONField(_("创建举措"), default=list, blank=True)
    results = models.TextField(_("创建成效"), blank=True)

    class Meta:
        abstract = True


class BrandApplication(ChainReviewed, BrandElements):
    in_review_state = Status.IN_REVIEW

    unit = models.ForeignKey(
        "branches.OrgUnit",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="brands",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    level = models.CharField(
        _("品牌级别"), max_length=20, choices=Level.choices, default=Level.BRANCH
    )

    # The content is BrandElements'; the logo is declared here (a reshaping's has its own folder).
    logo = models.ImageField(_("品牌标识"), upload_to="brands/logos/", blank=True)
    logo_thumb = models.ImageField(upload_to="brands/logos/thumbs/", blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    #: indexed here: the lists of applications sort by it
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    approved_at = models.DateTimeField(_("立项时间"), null=True, blank=True)
    built_at = models.DateTimeField(_("建成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("品牌申报")
        verbose_name_plural = _("品牌申报")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=~Q(status="rejected"),
                name="one_live_brand_per_branch",
                violation_error_message=_("该党支部已有在建或已建成的品牌。"),
            )
        ]
        indexes = [
            # The review queue: what waits at a level, longest waiting first.
            models.Index(
                fields=["current_level", "submitted_at", "id"],
                condition=Q(status=Status.IN_REVIEW),
                name="brand_queue",
            ),
            # Lists of applications, most recently updated first.
            models.Index(fields=["-updated_at", "-id"], name="brand_recent"),
            # The brand wall, in its display order (see showcase_order).
            models.Index(
                *showcase_order(),
                condition=Q(status__in=SHOWCASE_STATUSES),
                name="brand_wall_order",
            ),
        ]

    def __str__(self):
        # str(): a lazy translation here makes str(app) raise TypeError wherever it is used
        return self.name or str(_("（未命名品牌）"))

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


class Revision(SubmittedRevision):
    """The application as it was submitted, once per submission; kept for ever so reviewers can
    compare what changed since the version they returned. An approved reshaping (重塑) adds
    the brand's next revision, naming the reshaping it came from."""

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="revisions"
    )
    reshaping = models.OneToOneField(
        "Reshaping",
        verbose_name=_("品牌重塑"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brand_revision",
    )

    class Meta:
        verbose_name = _("修改版本")
        verbose_name_plural = _("修改版本")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_revision")
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


class Attachment(StoredFile):
    upload_dir = "brands/attachments/%Y/%m/"

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class CoverageTarget(models.Model):
    """The programme's coverage targets per year of the three-year plan (创建覆盖率 / 建成率).
    Data, so the province can change them; the defaults are the documents' 70/30, 100/80,
    100/100."""

    year = models.PositiveIntegerField(pgettext_lazy("calendar year", "年度"), unique=True)
    filed_rate = models.DecimalField(_("创建覆盖率目标(%)"), max_digits=5, decimal_places=2)
    built_rate = models.DecimalField(_("建成率目标(%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["year"]
        verbose_name = _("覆盖率目标")
        verbose_name_plural = _("覆盖率目标")

    def __str__(self):
        return f"{self.year}: {self.filed_rate}% / {self.built_rate}%"


class BrandActivity(models.Model):
    """A brand activity posted during implementation (实施推进): date, text, photos."""

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("活动日期"))
    title = models.CharField(_("活动主题"), max_length=100)
    text = models.TextField(_("活动内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("品牌活动")
        verbose_name_plural = _("品牌活动")

    def __str__(self):
        return self.title


class ActivityPhoto(Photo):
    upload_dir = "brands/activities/%Y/%m/"

    activity = models.ForeignKey(BrandActivity, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")


class ShineKind(models.TextChoices):
    """The "polish" (擦亮) records each period: one of each."""

    INNOVATION = "innovation", _("创新举措")
    DISSEMINATION = "dissemination", _("品牌传播")
    CASE = "case", _("品牌案例")


class ShineRecord(models.Model):
    """ "Three shine" (三亮) polish records: per period one innovation measure, one
    dissemination and one case."""

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="shine_records"
    )
    period = models.CharField(_("期次"), max_length=16, help_text=_("如 2026H2 或 2026Q4"))
    kind = models.CharField(_("类别"), max_length=20, choices=ShineKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "kind"]
        verbose_name = _("三亮记录")
        verbose_name_plural = _("三亮记录")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period", "kind"], name="one_shine_record_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.period} {self.get_kind_display()}: {self.title}"


class Pairing(models.Model):
    """结对帮扶: a provincial-level brand pairs with a branch that has no brand yet."""

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="pairings"
    )
    partner = models.ForeignKey(
        "branches.OrgUnit", verbose_name=_("结对支部"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("结对日期"))
    note = models.TextField(_("帮扶内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        constraints = [
            models.UniqueConstraint(fields=["application", "partner"], name="unique_pairing")
        ]

    def __str__(self):
        return f"{self.application} ↔ {self.partner}"


class MediaPublication(models.Model):
    """A publication about the brand (闪亮: at least once in provincial-or-higher media)."""

    class MediaLevel(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        INTERNAL = "internal", _("公司内部")

    application = models.ForeignKey(
        BrandApplication, on_delete=models.CASCADE, related_name="publications"
    )
    outlet = models.CharField(_("媒体名称"), max_length=100)
    media_level = models.CharField(_("媒体级别"), max_length=20, choices=MediaLevel.choices)
    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("发表日期"))
    url = models.URLField(_("链接"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("媒体发表")
        verbose_name_plural = _("媒体发表")

    def __str__(self):
        return self.title


class ReshapingStatus(models.TextChoices):
    DRAFT = "draft", _("重塑草稿")
    IN_REVIEW = "in_review", _("重塑审核中")
    RETURNED = "returned", _("重塑已退回修改")
    REJECTED = "rejected", _("重塑未通过")
    APPROVED = "approved", _("重塑已通过")


#: A reshaping still on its way: at most one per brand.
LIVE_RESHAPING_STATUSES = (
    ReshapingStatus.DRAFT,
    ReshapingStatus.IN_REVIEW,
    ReshapingStatus.RETURNED,
)


class Reshaping(ChainReviewed, BrandElements):
    """品牌重塑: an approved brand's holder proposes new content for it, reviewed level by level
    up the same chain as the application (brands/reshaping.py). The approved brand stays as it
    is, shown and valid, until the reshaping is approved: then its content becomes the brand's
    next revision. A returned or rejected reshaping leaves the brand untouched."""

    in_review_state = ReshapingStatus.IN_REVIEW

    application = models.ForeignKey(
        BrandApplication,
        verbose_name=_("品牌"),
        on_delete=models.CASCADE,
        related_name="reshapings",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ReshapingStatus.choices,
        default=ReshapingStatus.DRAFT,
        db_index=True,
    )
    #: The brand's revision number it was started from (what the diff compares against).
    based_on = models.PositiveIntegerField(_("重塑前版本"))
    reason = models.TextField(_("重塑说明"), blank=True)
    logo = models.ImageField(_("品牌标识"), upload_to="brands/reshapings/logos/", blank=True)
    logo_thumb = models.ImageField(
        upload_to="brands/reshapings/logos/thumbs/", blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("品牌重塑")
        verbose_name_plural = _("品牌重塑")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "in_review", "returned"]),
                name="one_live_reshaping_per_brand",
                violation_error_message=_("该品牌已有进行中的重塑。"),
            )
        ]
        indexes = [
            models.Index(
                fields=["current_level", "submitted_at", "id"],
                condition=Q(status="in_review"),
                name="brand_reshaping_queue",
            ),
        ]

    def __str__(self):
        return self.name or str(_("（未命名品牌）"))

    @property
    def unit(self):
        """The brand's unit: whose secretary reshapes it, whose chain reviews it."""
        return self.application.unit

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


class ReshapingRevision(SubmittedRevision):
    """A reshaping as it was submitted, once per submission (as `Revision` for applications)."""

    reshaping = models.ForeignKey(Reshaping, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        verbose_name = _("重塑版本")
        verbose_name_plural = _("重塑版本")
        ordering = ["reshaping", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reshaping", "number"], name="unique_reshaping_revision"
            )
        ]

    def __str__(self):
        return f"{self.reshaping} v{self.number}"


class PairingNote(models.Model):
    """A dated follow-up (帮扶跟进) on a pairing, written by the pairing brand's holder."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("跟进日期"))
    text = models.TextField(_("跟进情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("帮扶跟进")
        verbose_name_plural = _("帮扶跟进")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.text[:30]}"


class ClusterMember(models.Model):
    """A brand gathered into a "1+N" cluster (品牌集群): the cluster is its "1", the brand of a
    committee or 党总支 (`lead`), and the approved brands of its subtree it gathers (the "N").
    A brand belongs to at most one cluster (brands/clusters.py)."""

    lead = models.ForeignKey(
        BrandApplication,
        verbose_name=_("集群主品牌"),
        on_delete=models.CASCADE,
        related_name="cluster_members",
    )
    brand = models.OneToOneField(
        BrandApplication,
        verbose_name=_("成员品牌"),
        on_delete=models.CASCADE,
        related_name="cluster_membership",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("品牌集群成员")
        verbose_name_plural = _("品牌集群成员")
        constraints = [
            models.CheckConstraint(
                condition=~Q(lead=F("brand")), name="cluster_member_not_its_lead"
            )
        ]

    def __str__(self):
        return f"{self.lead} ⊃ {self.brand}"


# 验收评审 scored on the five-force table: its own module, registered with this app's models.
from .acceptance_models import AcceptanceItemScore, AcceptanceReview  # noqa: E402, F401
