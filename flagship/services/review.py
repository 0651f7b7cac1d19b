"""The committee's review (评审): each member scores each candidate on the cycle's table,
independently and once; members record site visits (实地考察) and veto checks (否决项核查).
Aggregates and the visibility rule are reads: selectors/review.py."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.formats import points
from common.uploads import clean_image, save_photo
from workflow.services import record_audit
from workflow.windows import local_today

from ..models import (
    Candidacy,
    CandidacyStatus,
    CommitteeMember,
    CommitteeScore,
    CommitteeScoreItem,
    FlagshipCycle,
    Phase,
    SiteVisit,
    SiteVisitPhoto,
)
from .common import FlagshipError

MAX_PHOTOS = 9
PHOTO_MAX_BYTES = 5 * 1024 * 1024
CENT = Decimal("0.01")


def suggested_points(criteria, results) -> dict[int, Decimal | None]:
    """For criteria fed by an evaluation result: the result's rate applied to the criterion's
    points (a 92 % six-good rate suggests 46 of 50), for the member to confirm or adjust."""
    suggestions = {}
    for criterion in criteria:
        rate = results.rate_for(criterion.source)
        suggestions[criterion.pk] = (
            None if rate is None else (criterion.max_points * rate / 100).quantize(CENT)
        )
    return suggestions


def _candidate_for_committee(actor, candidacy_pk, phases, what):
    candidacy = Candidacy.objects.select_related("cycle", "unit").get(pk=candidacy_pk)
    if not actor.has_perm("flagship.score", candidacy):
        raise PermissionDenied(_("只有本周期评审委员可以%(what)s。") % {"what": what})
    if candidacy.cycle.phase not in phases:
        raise FlagshipError(
            _("当前为%(p)s，不能%(what)s。")
            % {"p": candidacy.cycle.get_phase_display(), "what": what}
        )
    if candidacy.status != CandidacyStatus.ACCEPTED:
        raise FlagshipError(_("该单位不在候选名单中。"))
    return candidacy


def _points(raw, criterion) -> Decimal:
    try:
        value = Decimal(str(raw)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("“%(c)s”请填写数字。") % {"c": criterion.name}) from None
    if value < 0 or value > criterion.max_points:
        raise ValidationError(
            _("“%(c)s”的得分须在 0 至 %(m)s 之间。")
            % {"c": criterion.name, "m": points(criterion.max_points)}
        )
    return value


@transaction.atomic
def submit_score(*, actor, candidacy_pk, points: dict, comment: str = "") -> CommitteeScore:
    """A member's score of one candidate: every criterion within its points, submitted once
    and final (the unique constraint refuses a second one, whatever the form does). The cycle
    row is locked so a score and the chair's decision never interleave."""
    cycle_id = Candidacy.objects.values_list("cycle_id", flat=True).get(pk=candidacy_pk)
    FlagshipCycle.objects.select_for_update().get(pk=cycle_id)
    candidacy = _candidate_for_committee(actor, candidacy_pk, (Phase.REVIEW,), _("评分"))
    criteria = list(candidacy.cycle.criteria.all())
    if not criteria:
        raise FlagshipError(_("本周期尚未设置评分表，请联系省公司党建工作部。"))
    values = {}
    for criterion in criteria:
        raw = points.get(criterion.pk, points.get(str(criterion.pk)))
        if raw in (None, ""):
            raise ValidationError(_("请为“%(c)s”打分。") % {"c": criterion.name})
        values[criterion.pk] = _points(raw, criterion)
    try:
        with transaction.atomic():
            score = CommitteeScore.objects.create(
                candidacy=candidacy,
                member=actor,
                total=sum(values.values(), Decimal(0)),
                comment=(comment or "").strip()[:2000],
            )
    except IntegrityError as exc:
        raise FlagshipError(_("您已对该单位评分，评分提交后不可修改。")) from exc
    CommitteeScoreItem.objects.bulk_create(
        [CommitteeScoreItem(score=score, criterion_id=cid, points=p) for cid, p in values.items()]
    )
    # The timeline says that a member scored, never the points (members score independently).
    record_audit(actor=actor, obj=candidacy, action="score")
    return score


@transaction.atomic
def record_site_visit(*, actor, candidacy_pk, visited_on, members, findings, photos=()):
    """实地考察: when, which committee members went, what they found, and photos."""
    candidacy = _candidate_for_committee(
        actor, candidacy_pk, (Phase.MANAGEMENT, Phase.REVIEW), _("记录实地考察")
    )
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError(_("请填写考察情况。"))
    if visited_on is None or visited_on > local_today():
        raise ValidationError(_("考察日期不能晚于今天。"))
    members = list(members)
    committee = set(
        CommitteeMember.objects.filter(cycle=candidacy.cycle).values_list("user_id", flat=True)
    )
    if not members or any(m.pk not in committee for m in members):
        raise ValidationError(_("考察成员须为本周期评审委员。"))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("每次考察最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS})
    visit = SiteVisit.objects.create(
        candidacy=candidacy, visited_on=visited_on, findings=findings, recorded_by=actor
    )
    visit.members.set(members)
    for upload in photos:
        image, thumb = clean_image(upload, max_bytes=PHOTO_MAX_BYTES)
        save_photo(SiteVisitPhoto(visit=visit), image, thumb)
    record_audit(actor=actor, obj=candidacy, action="site_visit", comment=f"{visited_on:%Y-%m-%d}")
    return visit


@transaction.atomic
def record_veto_check(*, actor, candidacy_pk, veto_found: bool, note: str = ""):
    """否决项核查: a member records whether a veto item applies (a reason is required when it
    does). A candidate with a veto found cannot be named a unit."""
    candidacy = _candidate_for_committee(
        actor, candidacy_pk, (Phase.MANAGEMENT, Phase.REVIEW), _("核查否决项")
    )
    note = (note or "").strip()
    if veto_found and not note:
        raise ValidationError(_("存在否决事项时，请填写核查说明。"))
    Candidacy.objects.filter(pk=candidacy.pk).update(
        veto_found=veto_found,
        veto_note=note,
        veto_checked_at=timezone.now(),
        veto_checked_by=actor,
    )
    record_audit(
        actor=actor,
        obj=candidacy,
        action="veto_check",
        comment=(_("存在否决事项：") if veto_found else _("未发现否决事项。")) + note,
    )
    candidacy.refresh_from_db()
    return candidacy
