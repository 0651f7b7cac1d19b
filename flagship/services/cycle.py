"""A cycle's life: creation with the documents' defaults, configuration, its committee, and the
phase workflow. Phases move forward only along the declared transitions, by the committee's
explicit action or by date (the hourly `close_windows` job); an illegal jump is refused."""

import datetime
import hashlib
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import holds_role_anywhere, role_holders, secretaries_at
from branches.models import Role
from workflow.formats import points
from workflow.services import notify, record_audit
from workflow.transitions import AlreadyHandled, Transition, Workflow
from workflow.windows import local_today

from ..models import (
    Candidacy,
    CandidacyStatus,
    CommitteeMember,
    CommitteeScore,
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
    "validity_years",
    "votes_per_member",
    "vote_days",
    "score_aggregate",
    "disagreement_threshold",
    "vote_weight",
    "report_interval_months",
)
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
    values.update({k: v for k, v in (data or {}).items() if k in CONFIG_FIELDS and v is not None})
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
        if field in data and data[field] is not None and getattr(cycle, field) != data[field]:
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


def _locked_cycle(actor, pk, perm="flagship.manage_cycle"):
    cycle = FlagshipCycle.objects.select_for_update().get(pk=pk)
    if not actor.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


@transaction.atomic
def add_member(*, actor, cycle_pk, user) -> CommitteeMember:
    cycle = _locked_cycle(actor, cycle_pk)
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
    cycle = _locked_cycle(actor, cycle_pk)
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
    cycle = _locked_cycle(actor, cycle_pk)
    if cycle.phase == Phase.AWARDED:
        raise FlagshipError(_("表彰已公布，评审委员会不能再调整。"))
    member = CommitteeMember.objects.filter(cycle=cycle, user=user).first()
    if member is None:
        raise FlagshipError(_("主任委员须为本周期的评审委员。"))
    CommitteeMember.objects.filter(cycle=cycle, is_chair=True).update(is_chair=False)
    CommitteeMember.objects.filter(pk=member.pk).update(is_chair=True)
    record_audit(actor=actor, obj=cycle, action="set_chair", comment=str(user), unit=None)
    return member


# --- the scoring table (评分表) ----------------------------------------------------------

#: What the documents' table adds up to (50 + 50); another total is shown with a warning.
USUAL_TOTAL = Decimal(100)
#: The largest value `ReviewCriterion.max_points` holds (7 digits, 2 decimals).
MAX_POINTS = Decimal("99999.99")
CENT = Decimal("0.01")
NAME_LENGTH = ReviewCriterion._meta.get_field("name").max_length
CODE_LENGTH = ReviewCriterion._meta.get_field("code").max_length


def criteria_version(criteria) -> str:
    """The scoring table as the editor saw it (every line as stored, hashed): a save made from
    another version is refused instead of silently undoing someone else's change."""
    text = "\n".join(
        f"{c.pk}|{c.code}|{c.name}|{c.max_points:.2f}|{c.source}|{c.sort_order}" for c in criteria
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def criteria_frozen_reason(cycle) -> str:
    """Why the cycle's scoring table may no longer change (empty when it may): the committee's
    scores were given against it, and the awards rest on them."""
    if cycle.phase == Phase.AWARDED:
        return _("表彰已公布，评分表不能再修改。")
    if CommitteeScore.objects.filter(candidacy__cycle=cycle).exists():
        return _("评委已开始评分，评分表不能再修改。")
    return ""


def criteria_total(criteria) -> Decimal:
    return sum((c.max_points for c in criteria), Decimal(0))


def total_warning(total) -> str:
    """A reminder, never a refusal, when the table does not add up to the usual 100 points."""
    if not total or total == USUAL_TOTAL:
        return ""
    return _(
        "评分表满分合计为 %(t)s 分，不是通常的 100 分。评委总分和示范基地综合分按实际满分折算，"
        "请确认无误。"
    ) % {"t": points(total)}


def _as_points(raw) -> Decimal | None:
    """A positive number of points with at most two decimals, or None."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT):
        return None
    return value


def _as_pk(raw, existing) -> int | None:
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = None
    if pk not in existing:  # deleted meanwhile, or not a line of this cycle
        raise AlreadyHandled(_("评分表已被他人修改，请刷新页面后重试。"))
    return pk


def _new_code(name, taken) -> str:
    """An internal code for a new line: the name's slug (a Chinese name has none: "criterion"),
    numbered until it is free."""
    base = slugify(name)[: CODE_LENGTH - 4].strip("-") or "criterion"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


def _clean_criteria(rows, existing: dict) -> list[dict]:
    """Every line checked, every problem reported at once (ValidationError with all messages);
    the lines normalised: pk (an existing line) or code (a new one), name, points, source."""
    errors, lines, names, pks = [], [], set(), set()
    if not rows:
        errors.append(_("评分表至少需要一个评分项。"))
    for n, row in enumerate(rows, 1):
        pk = _as_pk(row.get("pk"), existing)
        if pk is not None:
            if pk in pks:
                raise ValidationError(_("提交的内容有误，请刷新页面后重试。"))
            pks.add(pk)
        name = " ".join(str(row.get("name") or "").split())
        label = name or _("第 %(n)d 项") % {"n": n}
        if not name:
            errors.append(_("第 %(n)d 项：请填写评分项名称。") % {"n": n})
        elif len(name) > NAME_LENGTH:
            errors.append(
                _("评分项名称“%(name)s”超过 %(max)d 个字符。") % {"name": name, "max": NAME_LENGTH}
            )
        elif name.casefold() in names:
            errors.append(
                _("评分项“%(name)s”重复，同一评分表中的评分项名称不能相同。") % {"name": name}
            )
        names.add(name.casefold())
        max_points = _as_points(row.get("max_points"))
        if max_points is None:
            errors.append(_("“%(name)s”的分值须为大于 0 的数字，最多两位小数。") % {"name": label})
        elif max_points > MAX_POINTS:
            errors.append(
                _("“%(name)s”的分值不能超过 %(max)s 分。")
                % {"name": label, "max": points(MAX_POINTS)}
            )
        source = row.get("source") or CriterionSource.MANUAL
        if source not in CriterionSource.values:
            errors.append(_("“%(name)s”的参考来源无效。") % {"name": label})
        # The code is internal: an existing line keeps its own, a new one may bring one.
        code = "" if pk is not None else str(row.get("code") or "").strip()
        if code and (len(code) > CODE_LENGTH or not slug_re.fullmatch(code)):
            errors.append(
                _("编码“%(code)s”只能包含字母、数字、连字符或下划线，且不超过 %(max)d 个字符。")
                % {"code": code, "max": CODE_LENGTH}
            )
        lines.append(
            {"pk": pk, "code": code, "name": name, "max_points": max_points, "source": source}
        )
    taken = {existing[line["pk"]].code for line in lines if line["pk"] is not None}
    for line in lines:
        if line["code"]:
            if line["code"] in taken:
                errors.append(_("编码“%(code)s”重复。") % {"code": line["code"]})
            taken.add(line["code"])
    if errors:
        raise ValidationError(errors)
    taken |= {c.code for c in existing.values()}  # a new code never reuses a removed one
    for line in lines:
        if line["pk"] is None and not line["code"]:
            line["code"] = _new_code(line["name"], taken)
    return lines


def _describe_criteria(before, after, removed) -> list[str]:
    """The audit trail's account of a change to the table, one line per criterion touched."""
    old = {c.pk: c for c in before}
    text = []
    for c in after:
        if c.pk not in old:
            text.append(_("新增：%(name)s %(p)s 分") % {"name": c.name, "p": points(c.max_points)})
            continue
        was, parts = old[c.pk], []
        if was.name != c.name:
            parts.append(_("名称 %(old)s → %(new)s") % {"old": was.name, "new": c.name})
        if was.max_points != c.max_points:
            parts.append(
                _("分值 %(old)s → %(new)s 分")
                % {"old": points(was.max_points), "new": points(c.max_points)}
            )
        if was.source != c.source:
            parts.append(
                _("参考来源 %(old)s → %(new)s")
                % {"old": was.get_source_display(), "new": c.get_source_display()}
            )
        if parts:
            text.append(
                _("修改“%(name)s”：%(what)s") % {"name": was.name, "what": _("，").join(parts)}
            )
    for c in removed:
        text.append(_("删除：%(name)s %(p)s 分") % {"name": c.name, "p": points(c.max_points)})
    kept_before = [c.pk for c in before if c.pk in {a.pk for a in after}]
    if [c.pk for c in after if c.pk in old] != kept_before:
        text.append(_("调整排序：%(names)s") % {"names": _("、").join(c.name for c in after)})
    total_before, total_after = criteria_total(before), criteria_total(after)
    if text and total_before != total_after:
        text.append(
            _("满分合计 %(old)s → %(new)s 分")
            % {"old": points(total_before), "new": points(total_after)}
        )
    return text


@transaction.atomic
def save_criteria(*, actor, cycle_pk, rows, expected_version=None) -> list[ReviewCriterion]:
    """Replace a cycle's scoring table by `rows`, in their order: a row with the `pk` of an
    existing line updates it (its code is kept), one without adds a line (`code` optional,
    generated from the name), an existing line absent from `rows` is deleted — all or nothing.
    Refused once a committee member has scored or the awards are published. The total is not
    checked (see `total_warning`). `expected_version` is `criteria_version` as the editor saw it.
    """
    cycle = _locked_cycle(actor, cycle_pk)
    reason = criteria_frozen_reason(cycle)
    if reason:
        raise FlagshipError(reason)
    before = list(cycle.criteria.all())
    if expected_version is not None and criteria_version(before) != expected_version:
        raise AlreadyHandled(_("评分表已被他人修改，请刷新页面后重试。"))
    existing = {c.pk: c for c in before}
    lines = _clean_criteria(list(rows), existing)
    kept = {line["pk"] for line in lines}
    removed = [c for c in before if c.pk not in kept]
    after, changed, new = [], [], []
    for order, line in enumerate(lines, 1):
        fields = {
            "name": line["name"],
            "max_points": line["max_points"],
            "source": line["source"],
            "sort_order": order,
        }
        if line["pk"] is None:
            criterion = ReviewCriterion(cycle=cycle, code=line["code"], **fields)
            new.append(criterion)
        else:
            was = existing[line["pk"]]
            criterion = ReviewCriterion(pk=was.pk, cycle=cycle, code=was.code, **fields)
            if any(getattr(was, f) != v for f, v in fields.items()):
                changed.append(criterion)
        after.append(criterion)
    # Removed lines go first: a new line may bring a removed line's code (unique per cycle).
    ReviewCriterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    ReviewCriterion.objects.bulk_update(changed, ["name", "max_points", "source", "sort_order"])
    ReviewCriterion.objects.bulk_create(new)
    text = _describe_criteria(before, after, removed)
    if text:
        record_audit(
            actor=actor, obj=cycle, action="update_criteria", comment="\n".join(text), unit=None
        )
    return list(cycle.criteria.all())


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
