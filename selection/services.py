"""省级品牌评选, written. Every step is atomic with the round's row locked (so a decision and
the quota it counts, or a proposal and the window, cannot race), checked against the rules
(`rules.py`) and the round's windows (`windows.py`), and audited. The province's decisions on a
proposal are declared transitions (`WORKFLOW`, workflow/transitions.py); publishing makes the
selected brands provincial-level brands through brands' own service. The writes after opening
take `now=` (default: the current instant) for their window and their timestamps, as
flagship's services do: the demo walks last year's round on its own calendar (`demo.py`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at
from branches.selectors import committee_ids
from brands.selectors.acceptance import acceptance_results_for
from brands.selectors.applications import is_provincial_candidate, provincial_candidates
from brands.services import name_provincial
from common.errors import DomainError
from workflow.services import notify, record_audit
from workflow.transitions import Transition, Workflow

from .audit import Action
from .models import Proposal, ProposalStatus, RoundStatus, SelectionRound
from .windows import decision_window, proposal_window

#: At most this many places in one round.
MAX_QUOTA = 200
P = ProposalStatus


class SelectionError(DomainError):
    pass


WORKFLOW = Workflow(
    model=Proposal,
    transitions=[
        Transition(
            Action.SELECT,
            (P.PROPOSED,),
            P.SELECTED,
            _lazy("入选"),
            "selection.decide",
            style="success",
        ),
        Transition(
            Action.NOT_SELECT,
            (P.PROPOSED,),
            P.NOT_SELECTED,
            _lazy("不入选"),
            "selection.decide",
            comment_required=True,
            style="warning",
        ),
        Transition(
            Action.RECONSIDER,
            (P.SELECTED, P.NOT_SELECTED),
            P.PROPOSED,
            _lazy("撤销评定"),
            "selection.decide",
            style="secondary",
        ),
    ],  # fmt: skip
    select_related=("round", "unit", "application"),
)


def _link(round_) -> str:
    return reverse("selection:round", args=[round_.pk])


@transaction.atomic
def open_round(*, actor, year: int, title: str, quota: int, opens_on, closes_on) -> SelectionRound:
    """The province opens the year's round: a quota of places and the window in which the
    committees propose and score. One round a year."""
    if not actor.has_perm("selection.open_round"):
        raise PermissionDenied(_("只有省公司党建工作部可以发起省级品牌评选。"))
    errors = {}
    if not 1 <= quota <= MAX_QUOTA:
        errors["quota"] = _("入选名额须在 1 到 %(n)d 之间。") % {"n": MAX_QUOTA}
    if closes_on < opens_on:
        errors["closes_on"] = _("推荐截止日期不能早于开始日期。")
    if SelectionRound.objects.filter(year=year).exists():
        errors["year"] = _("%(year)d 年度已发起省级品牌评选。") % {"year": year}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            round_ = SelectionRound.objects.create(
                year=year,
                title=title,
                quota=quota,
                opens_on=opens_on,
                closes_on=closes_on,
                created_by=actor,
            )
    except IntegrityError as exc:  # a concurrent round for the same year
        raise ValidationError(
            {"year": _("%(year)d 年度已发起省级品牌评选。") % {"year": year}}
        ) from exc
    record_audit(
        actor=actor,
        obj=round_,
        action=Action.OPENED,
        to_state=RoundStatus.OPEN,
        comment=_("名额 %(n)d 个，推荐 %(start)s 至 %(end)s")
        % {"n": quota, "start": opens_on.isoformat(), "end": closes_on.isoformat()},
    )
    return round_


def _locked(round_pk) -> SelectionRound:
    return SelectionRound.objects.select_for_update().get(pk=round_pk)


@transaction.atomic
def propose(*, actor, round_pk: int, application_pk: int, reason: str, now=None) -> Proposal:
    """A committee's reviewer proposes a built brand (not provincial yet) of the committee's
    subtree, within the round's window, once per round; the brand's current acceptance rate on
    the five-force table is copied as the basis of the committee's score. `now` (default: the
    current instant) is when it happens, as in flagship's services: the demo's past round."""
    round_ = _locked(round_pk)
    proposal_window(round_).require_open(SelectionError, now)
    application = provincial_candidates().filter(pk=application_pk).first()
    if application is None:
        raise SelectionError(_("只能推荐党支部、党总支已建成、尚未评为省公司级品牌的品牌。"))
    if not actor.has_perm("selection.propose", application):
        raise PermissionDenied(_("只能推荐本党委范围内的品牌。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写推荐理由。")})
    duplicate = ValidationError(_("该品牌已在本次评选中被推荐。"))
    if round_.proposals.filter(application=application).exists():
        raise duplicate
    accepted = acceptance_results_for([application.unit_id]).get(application.unit_id)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                round=round_,
                application=application,
                unit=application.unit,
                committee_id=committee_ids([application.unit])[application.unit_id],
                reason=reason,
                proposed_by=actor,
                acceptance_rate=accepted.rate if accepted else None,
            )
    except IntegrityError as exc:
        raise duplicate from exc
    if now is not None:  # auto_now_add stamped the present
        proposal.proposed_at = now
        proposal.save(update_fields=["proposed_at"])
    record_audit(
        actor=actor, obj=round_, action=Action.PROPOSED, unit=application.unit,
        comment=f"{application}（{application.unit.name}）：{reason}",
    )  # fmt: skip
    return proposal


@transaction.atomic
def score_proposal(*, actor, pk: int, score, note: str = "", now=None) -> Proposal:
    """The proposing committee's reviewer scores its proposal (0–100; the acceptance rate is
    the suggested basis), within the round's window; a later score replaces it, audited."""
    proposal = Proposal.objects.select_related("unit", "application").get(pk=pk)
    round_ = _locked(proposal.round_id)
    if not actor.has_perm("selection.score_proposal", proposal):
        raise PermissionDenied(_("只能为本党委推荐的品牌评分。"))
    proposal_window(round_).require_open(SelectionError, now)
    if score is None or not 0 <= score <= 100:
        raise ValidationError({"score": _("评分须在 0 到 100 之间。")})
    before = proposal.score
    proposal.score, proposal.score_note = score, (note or "").strip()
    proposal.scored_by, proposal.scored_at = actor, now or timezone.now()
    proposal.save(update_fields=["score", "score_note", "scored_by", "scored_at"])
    record_audit(
        actor=actor, obj=round_, action=Action.SCORED, unit=proposal.unit,
        from_state="" if before is None else str(before), to_state=str(score),
        comment=f"{proposal.application}：{proposal.score_note}".rstrip("："),
    )  # fmt: skip
    return proposal


def decide(
    *, actor, pk: int, action: str, comment: str = "", expected_version=None, now=None
) -> Proposal:
    """The province decides a proposal after the window: selected (入选) within the round's
    quota — counted under the round's row lock, so two deciders cannot both take the last
    place —, not selected (不入选, with the reason), or the decision undone while the round is
    not published. A declared transition of `WORKFLOW`: audited, stale pages refused."""
    if action not in (Action.SELECT, Action.NOT_SELECT, Action.RECONSIDER):
        raise SelectionError(_("未知操作。"))
    with transaction.atomic():
        round_pk = Proposal.objects.values_list("round_id", flat=True).get(pk=pk)
        round_ = _locked(round_pk)
        decision_window(round_).require_open(SelectionError, now)

        def before_save(proposal, _t):
            if action == Action.SELECT:
                taken = round_.proposals.filter(status=P.SELECTED).count()
                if taken >= round_.quota:
                    raise SelectionError(
                        _("入选名额已满（%(n)d 个），请先撤销其他入选后再评定。")
                        % {"n": round_.quota}
                    )
            if action == Action.RECONSIDER:
                proposal.decision_reason, proposal.decided_by, proposal.decided_at = "", None, None
            else:
                proposal.decision_reason = (comment or "").strip()
                proposal.decided_by, proposal.decided_at = actor, now or timezone.now()

        return WORKFLOW.apply(
            pk,
            action,
            actor=actor,
            comment=comment,
            expected_version=expected_version,
            before_save=before_save,
        )


@transaction.atomic
def publish_round(*, actor, pk: int, now=None) -> SelectionRound:
    """The province publishes the round once every proposal is decided: each selected brand
    becomes a provincial-level brand (brands.services.name_provincial, audited on the brand),
    the round is closed for good, and the proposing committees and the selected branches are
    told."""
    round_ = _locked(pk)
    if not actor.has_perm("selection.decide"):
        raise PermissionDenied(_("只有省公司党建工作部可以公布评选结果。"))
    decision_window(round_).require_open(SelectionError, now)
    proposals = list(round_.proposals.select_related("application", "unit"))
    waiting = [p for p in proposals if p.status == P.PROPOSED]
    if waiting:
        raise SelectionError(
            _("还有 %(n)d 个推荐尚未评定，请全部评定后再公布。") % {"n": len(waiting)}
        )
    selected = [p for p in proposals if p.status == P.SELECTED]
    if not selected:
        raise SelectionError(_("没有入选的品牌，不能公布。"))
    for proposal in selected:
        if not is_provincial_candidate(proposal.application):
            raise SelectionError(
                _(
                    "品牌“%(brand)s”已不是可评选的已建成品牌（可能已被评为省公司级品牌），请撤销其评定。"
                )
                % {"brand": proposal.application}
            )
        name_provincial(
            actor=actor,
            pk=proposal.application_id,
            comment=_("“%(round)s”入选：%(reason)s")
            % {"round": round_, "reason": proposal.decision_reason or "—"},
        )
    round_.status, round_.published_by = RoundStatus.PUBLISHED, actor
    round_.published_at = now or timezone.now()
    round_.save(update_fields=["status", "published_by", "published_at"])
    record_audit(
        actor=actor, obj=round_, action=Action.PUBLISHED,
        from_state=RoundStatus.OPEN, to_state=RoundStatus.PUBLISHED,
        comment=_("入选 %(n)d 个") % {"n": len(selected)},
    )  # fmt: skip
    committees = {p.committee_id for p in proposals}
    reviewers = {u.pk: u for c in committees for u in reviewers_at(c)}
    notify(
        list(reviewers.values()),
        title=_("“%(round)s”结果已公布") % {"round": round_},
        url=_link(round_),
    )
    return round_
