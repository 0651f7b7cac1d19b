"""The decision: the public vote (one ballot per user per cycle), honours and their obligations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .candidacy import Candidacy
from .cycle import FlagshipCycle


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
