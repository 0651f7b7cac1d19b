"""Candidacies (创建申报): filing within the window, pre-filled from what the portal knows,
reviewed up the org tree exactly like a brand application (the shared approval chain, the
shared workflow, audit and notifications); then, once accepted, the two-year plan and the
summary materials of the management phase."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at
from branches.selectors import approval_chain
from brands.selectors.applications import recent_activities
from common.uploads import save_document
from workflow.services import record_audit
from workflow.transitions import (
    AlreadyHandled,
    Transition,
    Workflow,
    chain_approval,
    chain_review,
    chain_submission,
    chain_version,
    decision_telling_applicant,
    require_complete,
    submitted_revision,
    telling,
    telling_approval,
)

from ..eligibility import check_eligibility
from ..models import (
    AttachmentKind,
    Candidacy,
    CandidacyAttachment,
    CandidacyStatus,
    FlagshipCycle,
    Phase,
)
from ..windows import application_window, summary_window
from .common import SCHEDULER, FlagshipError

S = CandidacyStatus
WORKFLOW = Workflow(
    model=Candidacy,
    version=chain_version,
    transitions=[
        *chain_review(
            S, submit_perm="flagship.submit_candidacy", review_perm="flagship.review_candidacy"
        ),
        Transition(
            "lock", (S.DRAFT, S.RETURNED), S.LOCKED, _lazy("逾期锁定"), "flagship.lock_candidacy"
        ),
        Transition(
            "disqualify",
            (S.ACCEPTED,),
            S.DISQUALIFIED,
            _lazy("取消资格"),
            "flagship.disqualify_candidacy",
            comment_required=True,
            style="danger",
        ),
    ],
)
#: The transitions a detail page offers (lock and disqualify come from the job and objections).
PAGE_TRANSITIONS = ("submit", "approve", "return", "reject")
EXTRA_ACTIONS = {
    "file_plan": _lazy("提交两年创建计划"),
    "upload_summary": _lazy("上传总结材料"),
    "score": _lazy("评审委员评分"),
    "site_visit": _lazy("实地考察"),
    "veto_check": _lazy("否决项核查"),
}
CONTENT_FIELDS = ("actual_practices", "highlights")
MAX_TEXT = 5000


def _link(candidacy):
    return reverse("flagship:candidacy", args=[candidacy.pk])


# --- pre-filled content ------------------------------------------------------------------


def brand_elements(brand) -> dict:
    """The brand's six elements as they stand (shown and frozen, never retyped)."""
    return {
        "brand_id": brand.pk,
        "name": brand.name,
        "slogan": brand.slogan,
        "brand_type": brand.get_brand_type_display() if brand.brand_type else "",
        "core_idea": brand.core_idea,
        "goal": brand.goal,
        "measures": list(brand.measures or []),
        "results": brand.results,
        "has_logo": bool(brand.logo),
    }


def _result_line(label, result):
    if result is None:
        return ""
    return _("%(label)s：%(period)s %(total)s 分（得分率 %(rate)s%%）") % {
        "label": label,
        "period": result.period,
        "total": result.total if result.total is not None else "—",
        "rate": result.rate if result.rate is not None else "—",
    }


def prefill(brand, results, activities=()) -> dict:
    """The first draft of 实际做法 and 品牌亮点, written from the brand's measures and
    activities and the latest evaluation results, for the branch to refine, not retype."""
    practices = []
    if brand.measures:
        practices.append(_("创建举措："))
        practices += [f"{i}. {m}" for i, m in enumerate(brand.measures, 1)]
    activities = list(activities)
    if activities:
        practices.append(_("品牌活动："))
        practices += [f"· {a.date:%Y-%m-%d} {a.title}" for a in activities]
    highlights = [
        line
        for line in (
            _("品牌传播语：%(s)s") % {"s": brand.slogan} if brand.slogan else "",
            _("核心理念：%(s)s") % {"s": brand.core_idea} if brand.core_idea else "",
            _("创建成效：%(s)s") % {"s": brand.results} if brand.results else "",
            _result_line(_("六好党支部考评"), results.six_good),
            _result_line(_("品牌五力评价"), results.five_forces),
        )
        if line
    ]
    return {"actual_practices": "\n".join(practices), "highlights": "\n".join(highlights)}


def prefill_for(unit, brand, results) -> dict:
    activities = recent_activities(brand, limit=10)
    return prefill(brand, results, activities)


# --- filing and review -------------------------------------------------------------------


def _eligibility_error(unit, cycle) -> str:
    verdict = check_eligibility(unit, cycle=cycle)
    return _("；").join(verdict.reasons)


def _clean_content(data):
    values = {}
    for field in CONTENT_FIELDS:
        if field in data:
            text = (data[field] or "").strip()
            if len(text) > MAX_TEXT:
                raise ValidationError(_("内容过长：每项不超过 %(n)d 字。") % {"n": MAX_TEXT})
            values[field] = text
    return values


@transaction.atomic
def save_candidacy_draft(
    *, actor, cycle=None, unit=None, candidacy=None, data: dict | None = None, now=None
):
    """Create the branch's candidacy in the cycle or update its draft. A new candidacy must be
    eligible and within the window; content not given starts from `prefill`."""
    data = data or {}
    if candidacy is None:
        if not actor.has_perm("flagship.file_candidacy", unit):
            raise PermissionDenied(_("只有本支部的书记或党务工作者可以申报旗舰品牌。"))
        cycle = FlagshipCycle.objects.get(pk=cycle.pk)
        _open, error = application_window(cycle).check(now)
        verdict = check_eligibility(unit, cycle=cycle)
        if error or not verdict.ok:
            raise FlagshipError(error or _("；").join(verdict.reasons))
        content = prefill_for(unit, verdict.brand, verdict.results)
        content.update({k: v for k, v in _clean_content(data).items() if v})
        candidacy = Candidacy(
            cycle=cycle,
            unit=unit,
            brand=verdict.brand,
            applicant=actor,
            brand_snapshot=brand_elements(verdict.brand),
            results_snapshot=verdict.results.as_json(),
            **content,
        )
        try:
            with transaction.atomic():
                candidacy.save()
        except IntegrityError as exc:  # a concurrent first filing for the same branch
            raise FlagshipError(_("该党支部已在本周期申报，不能重复申报。")) from exc
        record_audit(actor=actor, obj=candidacy, action="create", to_state=candidacy.status)
        return candidacy
    candidacy = Candidacy.objects.select_for_update().select_related("cycle").get(pk=candidacy.pk)
    if not actor.has_perm("flagship.edit_candidacy", candidacy):
        raise FlagshipError(
            _("该申报当前不可编辑（状态：%(s)s）。") % {"s": candidacy.get_status_display()}
        )
    for field, value in _clean_content(data).items():
        setattr(candidacy, field, value)
    candidacy.save()
    return candidacy


def missing_content(candidacy) -> list[str]:
    checks = [
        (candidacy.actual_practices.strip(), _("实际做法")),
        (candidacy.highlights.strip(), _("品牌亮点")),
    ]
    return [label for value, label in checks if not value]


def snapshot(candidacy) -> dict:
    data = {f: getattr(candidacy, f) for f in CONTENT_FIELDS}
    data["brand"] = candidacy.brand_snapshot
    data["results"] = candidacy.results_snapshot
    data["attachments"] = list(
        candidacy.attachments.filter(kind=AttachmentKind.APPLICATION).values_list(
            "original_name", flat=True
        )
    )
    return data


def submit_candidacy(*, actor, pk, comment="", expected_version=None, now=None):
    """Submit within the window. Eligibility is checked again, the brand's elements and the
    latest results are frozen with the content as a new revision, and the candidacy goes to
    the first level of the approval chain (a resubmission: back to the level that returned
    it)."""

    def prepare(candidacy, _actor):
        cycle = candidacy.cycle
        first = candidacy.revision_number == 0
        application_window(cycle, first_submission=first).require_open(FlagshipError, now)
        error = _eligibility_error(candidacy.unit, cycle)
        if error:
            raise FlagshipError(error)
        require_complete(missing_content(candidacy))
        from ..selectors.results import latest_results

        candidacy.brand_snapshot = brand_elements(candidacy.brand)
        candidacy.results_snapshot = latest_results(candidacy.unit).as_json()

    submit = chain_submission(
        WORKFLOW,
        prepare=prepare,
        chain_of=lambda candidacy: approval_chain(candidacy.unit),
        snapshot=snapshot,
        tell=telling(
            lambda candidacy: reviewers_at(candidacy.current_level),
            _lazy("待审核：%(unit)s 旗舰品牌申报"),
            subject=lambda candidacy: {"unit": candidacy.unit},
            link=_link,
            body=submitted_revision,
        ),
    )
    return submit(actor=actor, pk=pk, comment=comment, expected_version=expected_version)


def _accepted_by_province(candidacy):
    candidacy.status = S.ACCEPTED
    candidacy.accepted_at = timezone.now()


approve_candidacy = chain_approval(
    WORKFLOW,
    chain_of=lambda candidacy: approval_chain(candidacy.unit),
    on_top=_accepted_by_province,
    tell=telling_approval(
        done=lambda candidacy: candidacy.status == S.ACCEPTED,
        reviewers=lambda candidacy: reviewers_at(candidacy.current_level),
        titles={
            "done": _lazy("%(unit)s 旗舰品牌申报已通过审核，入围候选名单"),
            "level": _lazy("%(unit)s 旗舰品牌申报已通过%(level)s审核"),
            "next": _lazy("待审核：%(unit)s 旗舰品牌申报"),
        },
        subject=lambda candidacy: {"unit": candidacy.unit},
        link=_link,
    ),
)
approve_candidacy.__doc__ = """Approve at the current level: on up the chain, or after the
province the candidacy is accepted onto the candidate list (入围)."""


def _decided(action, title):
    return decision_telling_applicant(
        WORKFLOW,
        action,
        title,
        subject=lambda candidacy: {"unit": candidacy.unit},
        link=_link,
    )


return_candidacy = _decided("return", _lazy("%(unit)s 旗舰品牌申报被退回修改"))
return_candidacy.__doc__ = "Return with a required comment; resubmission comes back here."
reject_candidacy = _decided("reject", _lazy("%(unit)s 旗舰品牌申报未获通过"))
reject_candidacy.__doc__ = "Reject with a required comment."
disqualify = _decided("disqualify", _lazy("%(unit)s 旗舰品牌候选资格被取消"))
disqualify.__doc__ = "Take an accepted candidate off the list (an upheld objection)."


def lock_candidacies(cycle, statuses, *, actor=SCHEDULER) -> int:
    """Lock candidacies still unsubmitted (or returned) when their window is over. A
    candidacy another run (a second beat, a manual run) locked first is left to it, so two
    overlapping runs lock, audit and tell each once, and neither fails."""
    locked = 0
    for pk in cycle.candidacies.filter(status__in=statuses).values_list("pk", flat=True):
        try:
            WORKFLOW.apply(
                pk,
                "lock",
                actor=actor,
                comment=_("申报期已结束，未提交的申报已锁定。"),
            )
        except AlreadyHandled:
            continue
        locked += 1
    return locked


def lock_late_candidacies(now=None) -> int:
    """Drafts never submitted by the closing date are locked (逾期未提交) once the application
    window has closed. Idempotent."""
    locked = 0
    for cycle in FlagshipCycle.objects.filter(phase=Phase.APPLICATION):
        if application_window(cycle).has_closed(now):
            locked += lock_candidacies(cycle, (S.DRAFT,))
    return locked


# --- attachments -------------------------------------------------------------------------


@transaction.atomic
def add_attachment(*, actor, candidacy, upload):
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if not actor.has_perm("flagship.edit_candidacy", candidacy):
        raise FlagshipError(_("该申报当前不可编辑。"))
    return _store(actor, candidacy, upload, AttachmentKind.APPLICATION)


def _store(actor, candidacy, upload, kind):
    return save_document(CandidacyAttachment(candidacy=candidacy, kind=kind), upload, actor=actor)


@transaction.atomic
def remove_attachment(*, actor, attachment, now=None):
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("cycle")
        .get(pk=attachment.candidacy_id)
    )
    if attachment.kind == AttachmentKind.SUMMARY:
        if not actor.has_perm("flagship.manage_candidate", candidacy):
            raise PermissionDenied
        summary_window(candidacy.cycle).require_open(FlagshipError, now)
    elif not actor.has_perm("flagship.edit_candidacy", candidacy):
        raise FlagshipError(_("该申报当前不可编辑。"))
    attachment.delete_with_file()


# --- management phase --------------------------------------------------------------------


def _accepted_candidate(actor, pk):
    candidacy = Candidacy.objects.select_for_update().select_related("cycle", "unit").get(pk=pk)
    if not actor.has_perm("flagship.manage_candidate", candidacy):
        raise PermissionDenied
    if candidacy.status != S.ACCEPTED:
        raise FlagshipError(
            _("只有入围的候选单位才能办理此事项（当前状态：%(s)s）。")
            % {"s": candidacy.get_status_display()}
        )
    return candidacy


@transaction.atomic
def file_plan(*, actor, pk, plan: str):
    """The candidate's two-year plan (两年创建计划), filed (and refined) in the management
    phase."""
    candidacy = _accepted_candidate(actor, pk)
    if candidacy.cycle.phase != Phase.MANAGEMENT:
        raise FlagshipError(
            _("两年创建计划在培育管理阶段提交，当前为%(p)s。")
            % {"p": candidacy.cycle.get_phase_display()}
        )
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError(_("请填写两年创建计划。"))
    if len(plan) > MAX_TEXT:
        raise ValidationError(_("内容过长：不超过 %(n)d 字。") % {"n": MAX_TEXT})
    candidacy.plan = plan
    candidacy.plan_filed_at = timezone.now()
    candidacy.save(update_fields=["plan", "plan_filed_at", "updated_at"])
    record_audit(actor=actor, obj=candidacy, action="file_plan")
    return candidacy


@transaction.atomic
def upload_summary(*, actor, pk, upload, now=None):
    """Summary materials (总结材料) until the end of the summary deadline day; a late upload
    is refused with the deadline in the message."""
    candidacy = _accepted_candidate(actor, pk)
    summary_window(candidacy.cycle).require_open(FlagshipError, now)
    attachment = _store(actor, candidacy, upload, AttachmentKind.SUMMARY)
    record_audit(
        actor=actor, obj=candidacy, action="upload_summary", comment=attachment.original_name
    )
    return attachment
