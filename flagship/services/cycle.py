"""A cycle's life: creation with the documents' defaults, configuration, its committee, and the
phase workflow. Phases move forward only along the declared transitions, by the committee's
explicit action or by date (the hourly `close_windows` job); an illegal jump is refused."""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import holds_role_anywhere, role_holders, secretaries_at
from branches.models import Role
from workflow.services import notify, record_audit
from workflow.transitions import AlreadyHandled, Transition, Workflow
from workflow.windows import local_today

from ..models import (
    Candidacy,
    CandidacyStatus,
    CommitteeMember,
    CriterionSource,
    FlagshipCycle,
    Objection,
    ObjectionStatus,
    Phase,
    ReviewCriterion,
)
from ..windows import due_transition
from .common import SCHEDULER, FlagshipError, fmt_date

log = logging.getLogger(__name__)

P = Phase
WORKFLOW = Workflow(
    model=FlagshipCycle,
    state_field="phase",
    transitions=[
        Transition(
            "open_application",
            (P.PLANNED,),
            P.APPLICATION,
            _lazy("开始申报"),
            "flagship.manage_cycle",
        ),
        Transition(
            "publish_notice", (P.APPLICATION,), P.NOTICE, _lazy("发布公示"), "flagship.manage_cycle"
        ),
        Transition(
            "start_management",
            (P.NOTICE,),
            P.MANAGEMENT,
            _lazy("进入培育管理"),
            "flagship.manage_cycle",
        ),
        Transition(
            "start_review", (P.MANAGEMENT,), P.REVIEW, _lazy("开始评审"), "flagship.manage_cycle"
        ),
        Transition(
            "decide_units",
            (P.REVIEW,),
            P.VOTING,
            _lazy("确定示范单位并开始投票"),
            "flagship.chair",
            style="success",
        ),
        Transition(
            "publish_awards",
            (P.VOTING,),
            P.AWARDED,
            _lazy("确定示范基地并公布表彰"),
            "flagship.chair",
            style="success",
        ),
    ],
)
#: The transitions the committee (province) moves by hand or the job moves by date.
PHASE_ADVANCES = ("open_application", "publish_notice", "start_management", "start_review")
EXTRA_ACTIONS = {
    "update": _lazy("修改配置"),
    "set_chair": _lazy("指定主任委员"),
    "add_member": _lazy("增加评审委员"),
    "remove_member": _lazy("移除评审委员"),
    "update_criteria": _lazy("修改评分表"),
}

#: The committee's default scoring table: the six-good result plus the five-force brand score.
DEFAULT_CRITERIA = [
    ("six-good", _lazy("六好党支部考评结果"), Decimal(50), CriterionSource.SIX_GOOD),
    ("five-forces", _lazy("品牌五力评价"), Decimal(50), CriterionSource.FIVE_FORCES),
]

CONFIG_FIELDS = (
    "name",
    "year_end",
    "application_opens_on",
    "application_closes_on",
    "notice_starts_on",
    "notice_days",
    "summary_deadline",
    "review_starts_on",
    "decision_deadline",
    "honour_expires_on",
    "quota",
    "base_share_cap",
    "standing_top_share",
    "validity_years",
    "votes_per_member",
    "vote_days",
    "score_aggregate",
    "disagreement_threshold",
    "vote_weight",
    "report_interval_months",
)
#: Settings where a blank (None) is a value: 留空不检查.
BLANKABLE_FIELDS = ("standing_top_share",)
#: Numbers the decision rests on: frozen once the chair has named the units.
DECISION_FIELDS = ("quota", "base_share_cap", "votes_per_member", "score_aggregate", "vote_weight")


def default_year_start(today: datetime.date | None = None) -> int:
    """The first year of the cycle a province opens now: this year until the end of February
    (applications open in February), else next year."""
    today = today or local_today()
    return today.year if today.month <= 2 else today.year + 1


def default_schedule(year_start: int, validity_years: int = 2) -> dict:
    """The documents' calendar for a cycle starting in Y1: applications open before March of
    Y1, summaries due 30 September of Y2, decision by 31 December of Y2, honours valid
    `validity_years` after the decision."""
    y1, y2 = year_start, year_start + 1
    return {
        "name": _("%(y1)s—%(y2)s年度旗舰品牌评选") % {"y1": y1, "y2": y2},
        "year_end": y2,
        "application_opens_on": datetime.date(y1, 2, 1),
        "application_closes_on": datetime.date(y1, 3, 31),
        "notice_starts_on": datetime.date(y1, 4, 20),
        "notice_days": 7,
        "summary_deadline": datetime.date(y2, 9, 30),
        "review_starts_on": datetime.date(y2, 10, 1),
        "decision_deadline": datetime.date(y2, 12, 31),
        "honour_expires_on": datetime.date(y2 + validity_years, 12, 31),
        "quota": 20,
        "base_share_cap": Decimal(30),
        "validity_years": validity_years,
        "votes_per_member": 3,
        "vote_days": 7,
        "score_aggregate": "mean",
        "disagreement_threshold": Decimal(10),
        "vote_weight": Decimal(40),
        "report_interval_months": 6,
    }


def _link(cycle):
    return reverse("flagship:cycle", args=[cycle.pk])


def _validate(cycle):
    try:
        cycle.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc


def committee_role_holders():
    """Users holding the FLAGSHIP_COMMITTEE role, earliest granted first."""
    return role_holders(Role.FLAGSHIP_COMMITTEE)


@transaction.atomic
def create_cycle(*, actor, year_start: int, data: dict | None = None) -> FlagshipCycle:
    """Open a new cycle with the default calendar and numbers, overridden by `data`. Its
    committee starts as every holder of the committee role, the earliest-granted as chair; its
    scoring table as the six-good result plus the five-force brand score (50 + 50)."""
    if not actor.has_perm("flagship.manage_cycle"):
        raise PermissionDenied(_("只有省公司党委（党建工作部）或系统管理员可以创建评选周期。"))
    values = default_schedule(year_start, (data or {}).get("validity_years") or 2)
    values.update(
        {
            k: v
            for k, v in (data or {}).items()
            if k in CONFIG_FIELDS and (v is not None or k in BLANKABLE_FIELDS)
        }
    )
    cycle = FlagshipCycle(year_start=year_start, created_by=actor, **values)
    _validate(cycle)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:
        raise FlagshipError(_("%(y)s 年度起始的评选周期已存在。") % {"y": year_start}) from exc
    members = committee_role_holders()
    CommitteeMember.objects.bulk_create(
        [CommitteeMember(cycle=cycle, user=u, is_chair=(i == 0)) for i, u in enumerate(members)]
    )
    ReviewCriterion.objects.bulk_create(
        [
            ReviewCriterion(
                cycle=cycle,
                code=code,
                name=str(name),
                max_points=max_points,
                source=src,
                sort_order=i,
            )
            for i, (code, name, max_points, src) in enumerate(DEFAULT_CRITERIA, 1)
        ]
    )
    record_audit(actor=actor, obj=cycle, action="create", to_state=cycle.phase, unit=None)
    notify(
        members,
        title=_("您已被列为“%(cycle)s”评审委员") % {"cycle": cycle},
        url=_link(cycle),
    )
    return cycle


@transaction.atomic
def update_cycle(*, actor, pk, data: dict) -> FlagshipCycle:
    """Change a cycle's calendar and numbers. Nothing changes once the awards are published;
    the numbers the decision rests on are frozen once the units are named."""
    cycle = FlagshipCycle.objects.select_for_update().get(pk=pk)
    if not actor.has_perm("flagship.manage_cycle", cycle):
        raise PermissionDenied
    if cycle.phase == Phase.AWARDED:
        raise FlagshipError(_("表彰已公布，评选周期不能再修改。"))
    changed = []
    for field in CONFIG_FIELDS:
        given = field in data and (data[field] is not None or field in BLANKABLE_FIELDS)
        if given and getattr(cycle, field) != data[field]:
            if field in DECISION_FIELDS and cycle.phase == Phase.VOTING:
                raise FlagshipError(_("示范单位已确定，名额、比例、投票与计分规则不能再修改。"))
            setattr(cycle, field, data[field])
            changed.append(str(FlagshipCycle._meta.get_field(field).verbose_name))
    if not changed:
        return cycle
    _validate(cycle)
    cycle.save()
    record_audit(actor=actor, obj=cycle, action="update", comment=_("、").join(changed), unit=None)
    return cycle


# --- the committee ---------------------------------------------------------------------


def locked_cycle(actor, pk, perm="flagship.manage_cycle"):
    cycle = FlagshipCycle.objects.select_for_update().get(pk=pk)
    if not actor.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


@transaction.atomic
def add_member(*, actor, cycle_pk, user) -> CommitteeMember:
    cycle = locked_cycle(actor, cycle_pk)
    if cycle.phase in (Phase.VOTING, Phase.AWARDED):
        raise FlagshipError(_("示范单位已确定，评审委员会不能再调整。"))
    if not holds_role_anywhere(user, Role.FLAGSHIP_COMMITTEE):
        raise FlagshipError(_("只能选择持有“旗舰品牌评审委员”角色的用户。"))
    member, created = CommitteeMember.objects.get_or_create(cycle=cycle, user=user)
    if created:
        record_audit(actor=actor, obj=cycle, action="add_member", comment=str(user), unit=None)
        notify(
            [user], title=_("您已被列为“%(cycle)s”评审委员") % {"cycle": cycle}, url=_link(cycle)
        )
    return member


@transaction.atomic
def remove_member(*, actor, cycle_pk, user):
    cycle = locked_cycle(actor, cycle_pk)
    if cycle.phase in (Phase.VOTING, Phase.AWARDED):
        raise FlagshipError(_("示范单位已确定，评审委员会不能再调整。"))
    member = CommitteeMember.objects.filter(cycle=cycle, user=user).first()
    if member is None:
        return
    if member.is_chair:
        raise FlagshipError(_("请先指定其他委员为主任委员，再移除该委员。"))
    if cycle.candidacies.filter(scores__member=user).exists():
        raise FlagshipError(_("该委员已提交评分，不能移除。"))
    member.delete()
    record_audit(actor=actor, obj=cycle, action="remove_member", comment=str(user), unit=None)


@transaction.atomic
def set_chair(*, actor, cycle_pk, user) -> CommitteeMember:
    """Make a member the chair (主任委员); the previous chair stays a member."""
    cycle = locked_cycle(actor, cycle_pk)
    if cycle.phase == Phase.AWARDED:
        raise FlagshipError(_("表彰已公布，评审委员会不能再调整。"))
    member = CommitteeMember.objects.filter(cycle=cycle, user=user).first()
    if member is None:
        raise FlagshipError(_("主任委员须为本周期的评审委员。"))
    CommitteeMember.objects.filter(cycle=cycle, is_chair=True).update(is_chair=False)
    CommitteeMember.objects.filter(pk=member.pk).update(is_chair=True)
    record_audit(actor=actor, obj=cycle, action="set_chair", comment=str(user), unit=None)
    return member


# --- phases ----------------------------------------------------------------------------


def blocking_reason(cycle, name) -> str:
    """Why a phase transition may not happen now (empty when it may): what must be done
    first, whoever asks."""
    if name == "publish_notice":
        pending = cycle.candidacies.filter(status=CandidacyStatus.IN_REVIEW).count()
        if pending:
            return _("尚有 %(n)d 份申报在审核中，审核完毕后才能发布公示。") % {"n": pending}
        if not cycle.candidacies.filter(status=CandidacyStatus.ACCEPTED).exists():
            return _("尚无通过审核的申报，不能发布公示。")
    if name == "start_management":
        open_objections = Objection.objects.filter(
            candidacy__cycle=cycle, status=ObjectionStatus.OPEN
        ).count()
        if open_objections:
            return _("尚有 %(n)d 条公示异议未处理，处理完毕后才能进入培育管理阶段。") % {
                "n": open_objections
            }
    return ""


def advance(*, actor, pk, name, comment="", expected_version=None, now=None) -> FlagshipCycle:
    """Move a cycle to its next phase (`PHASE_ADVANCES`). Publishing the notice locks what was
    never submitted or is still returned, and runs the notice for `notice_days` from today."""
    if name not in PHASE_ADVANCES:
        raise FlagshipError(_("未知操作。"))
    today = local_today(now)

    def before_save(cycle, _t):
        reason = blocking_reason(cycle, name)
        if reason:
            raise FlagshipError(reason)
        if name == "publish_notice":
            cycle.notice_published_on = today
            cycle.notice_ends_on = today + datetime.timedelta(days=cycle.notice_days - 1)

    def after_save(cycle, _t, _from):
        from .candidacy import lock_candidacies

        if name == "publish_notice":
            lock_candidacies(cycle, (CandidacyStatus.DRAFT, CandidacyStatus.RETURNED))
            accepted = Candidacy.objects.filter(
                cycle=cycle, status=CandidacyStatus.ACCEPTED
            ).select_related("unit", "applicant")
            notify(
                [c.applicant for c in accepted]
                + [u for c in accepted for u in secretaries_at(c.unit)],
                title=_("“%(cycle)s”入围名单已公示，公示期至 %(end)s")
                % {"cycle": cycle, "end": fmt_date(cycle.notice_ends_on)},
                url=reverse("flagship:notice", args=[cycle.pk]),
            )
        elif name == "start_management":
            accepted = Candidacy.objects.filter(
                cycle=cycle, status=CandidacyStatus.ACCEPTED
            ).select_related("applicant")
            notify(
                [c.applicant for c in accepted],
                title=_("“%(cycle)s”进入培育管理阶段：请提交两年创建计划，总结材料于 %(d)s 前提交")
                % {"cycle": cycle, "d": fmt_date(cycle.summary_deadline)},
                url=_link(cycle),
            )
        elif name == "start_review":
            notify(
                [m.user for m in cycle.committee_members.select_related("user")],
                title=_("“%(cycle)s”进入评审阶段，请对候选单位评分") % {"cycle": cycle},
                url=reverse("flagship:board", args=[cycle.pk]),
            )

    return WORKFLOW.apply(
        pk,
        name,
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        before_save=before_save,
        after_save=after_save,
    )


def advance_by_date(now=None) -> int:
    """The scheduled side of the phases: move every cycle whose date has come, as far as the
    dates and the guards allow (`flagship.windows.due_transition`). Idempotent: a cycle
    already moved has nothing due."""
    moved = 0
    open_phases = (Phase.PLANNED, Phase.APPLICATION, Phase.NOTICE, Phase.MANAGEMENT)
    for cycle in FlagshipCycle.objects.filter(phase__in=open_phases):
        for _step in range(len(PHASE_ADVANCES)):
            name = due_transition(cycle, now)
            if name is None:
                break
            try:
                cycle = advance(actor=SCHEDULER, pk=cycle.pk, name=name, now=now)
            except FlagshipError as exc:  # a guard holds it back; the cycle page says why
                log.info("flagship cycle %s: %s held back: %s", cycle.pk, name, exc)
                break
            except AlreadyHandled:  # another run (a second beat) moved it first
                break
            moved += 1
    return moved
