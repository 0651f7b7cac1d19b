"""Writes of rectification plans. Every state change passes through `WORKFLOW.apply` (the row
locked, the state and the actor's right checked, audited) and tells the other side; saving the
plan's text locks the row too, so a reviewer's decision and an edit never interleave."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at, secretaries_at
from common.uploads import clean_documents, save_document
from workflow.services import record_audit
from workflow.transitions import Transition, TransitionError, Workflow, decision, telling
from workflow.windows import local_today

from .models import EDITABLE, PlanEvidence, PlanStatus, RectificationPlan

S = PlanStatus
REVIEW = "rectification.review_plan"
FILE = "rectification.file_plan"


def _version(plan) -> str:
    return f"{plan.status}#{plan.revision}"


WORKFLOW = Workflow(
    model=RectificationPlan,
    version=_version,
    select_related=("unit", "reviewing_unit"),
    transitions=[
        Transition("submit", (S.OPEN, S.RETURNED), S.SUBMITTED, _lazy("提交审核"), FILE),
        Transition(
            "approve", (S.SUBMITTED,), S.APPROVED, _lazy("审核通过"), REVIEW, style="success"
        ),
        Transition(
            "return",
            (S.SUBMITTED,),
            S.RETURNED,
            _lazy("退回修改"),
            REVIEW,
            comment_required=True,
            style="warning",
        ),
        Transition("report", (S.APPROVED,), S.REPORTED, _lazy("报告整改完成"), FILE),
        Transition(
            "accept",
            (S.REPORTED,),
            S.CLOSED,
            _lazy("验收销号"),
            REVIEW,
            style="success",
            confirm=_lazy("验收销号后整改即闭环，不能再修改。确定验收通过吗？"),
        ),
        Transition(
            "reopen",
            (S.REPORTED,),
            S.APPROVED,
            _lazy("退回继续整改"),
            REVIEW,
            comment_required=True,
            style="warning",
        ),
    ],
)
EXTRA_ACTIONS = {"open": _lazy("启动整改"), "save": _lazy("保存计划")}
PLAN_FIELDS = ("problems", "measures", "responsible", "target_date")


class RectificationError(TransitionError):
    """A refused change to a rectification plan; the message says why."""


def _link(plan) -> str:
    return reverse("rectification:plan", args=[plan.pk])


def _locked(pk) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("unit", "reviewing_unit")
        .get(pk=pk)
    )


def _check_expected(plan, expected_version):
    if expected_version is not None and _version(plan) != expected_version:
        raise RectificationError(
            _("该整改计划已被他人处理（当前状态：%(state)s），请刷新后查看。")
            % {"state": plan.get_status_display()}
        )


def validate_plan(plan) -> None:
    """What a plan must say before it goes to review: the problems found, the measures, who is
    responsible and by when — no later than the plan's deadline and not in the past."""
    errors = {}
    for field in ("problems", "measures", "responsible"):
        if not getattr(plan, field).strip():
            errors[field] = _("提交审核前请填写“%(f)s”。") % {
                "f": plan._meta.get_field(field).verbose_name
            }
    if plan.target_date is None:
        errors["target_date"] = _("提交审核前请填写完成时限。")
    if errors:
        raise ValidationError(errors)


def _check_target(plan):
    if plan.target_date is None:
        return
    if plan.target_date > plan.deadline:
        raise ValidationError(
            {
                "target_date": _("完成时限不能晚于整改期限 %(date)s。")
                % {"date": date_format(plan.deadline)}
            }
        )
    if plan.target_date < local_today():
        raise ValidationError({"target_date": _("完成时限不能早于今天。")})


@transaction.atomic
def save_plan(*, actor, pk, data: dict, expected_version=None) -> RectificationPlan:
    """The secretary writes the plan (draft, or after a return): problems, measures, the
    responsible person and the target date."""
    plan = _locked(pk)
    if not actor.has_perm(FILE, plan):
        raise PermissionDenied
    _check_expected(plan, expected_version)
    if plan.status not in EDITABLE:
        raise RectificationError(
            _("该整改计划当前为“%(s)s”，不可修改。") % {"s": plan.get_status_display()}
        )
    for field in PLAN_FIELDS:
        if field in data:
            setattr(plan, field, data[field])
    _check_target(plan)
    plan.revision += 1
    plan.save()
    record_audit(actor=actor, obj=plan, action="save", unit=plan.unit)
    return plan


def _ready_for_review(plan, _actor):
    validate_plan(plan)
    _check_target(plan)
    plan.submitted_at = timezone.now()
    plan.revision += 1


def _reviewers(plan):
    return reviewers_at(plan.reviewing_unit_id)


def _branch(plan):
    return secretaries_at(plan.unit_id)


def _tell(recipients, title):
    """Tell `recipients(plan)` what became of the plan: a title and the link, no body."""
    return telling(
        recipients,
        title,
        subject=lambda plan: {"unit": plan.unit},
        link=_link,
        body=lambda _plan: "",
    )


def _stamp(field):
    def prepare(plan, _actor):
        setattr(plan, field, timezone.now())

    return prepare


submit_plan = decision(
    WORKFLOW,
    "submit",
    prepare=_ready_for_review,
    tell=_tell(_reviewers, _lazy("%(unit)s 提交了整改计划，请审核")),
)
submit_plan.__doc__ = """The plan goes to the reviewer at the branch's first approval level,
complete."""
approve_plan = decision(
    WORKFLOW,
    "approve",
    prepare=_stamp("approved_at"),
    tell=_tell(_branch, _lazy("%(unit)s 的整改计划已审核通过，请按计划整改并报告完成情况")),
)
return_plan = decision(
    WORKFLOW, "return", tell=_tell(_branch, _lazy("%(unit)s 的整改计划被退回修改"))
)


@transaction.atomic
def report_completion(
    *, actor, pk, completion: str, uploads=(), expected_version=None
) -> RectificationPlan:
    """The branch reports the rectification done: what was done, with evidence files
    (`common.uploads`); at least one file, counting those attached before."""
    plan = _locked(pk)
    if not actor.has_perm(FILE, plan):
        raise PermissionDenied
    _check_expected(plan, expected_version)
    if plan.status != S.APPROVED:
        raise RectificationError(
            _("该整改计划当前为“%(s)s”，不能报告完成。") % {"s": plan.get_status_display()}
        )
    if not completion.strip():
        raise ValidationError({"completion": _("请填写整改完成情况。")})
    uploads = list(uploads)
    if not uploads and not plan.evidence.exists():
        raise ValidationError({"evidence": _("请上传整改佐证材料（至少一份）。")})
    clean_documents(uploads, field="evidence")  # all or nothing, before storing any
    for upload in uploads:
        upload.seek(0)
        save_document(PlanEvidence(plan=plan), upload, actor=actor)

    def before(p, _t):
        p.completion = completion
        p.reported_at = timezone.now()
        p.revision += 1

    tell = _tell(_reviewers, _lazy("%(unit)s 报告整改完成，请验收"))
    return WORKFLOW.apply(
        pk,
        "report",
        actor=actor,
        before_save=before,
        after_save=lambda p, _t, _from: tell(p, ""),
    )


accept_completion = decision(
    WORKFLOW,
    "accept",
    prepare=_stamp("closed_at"),
    tell=_tell(_branch, _lazy("%(unit)s 的整改已验收销号")),
)
accept_completion.__doc__ = (
    "The reviewer accepts the completion: the rectification is closed (闭环, 销号)."
)
reopen_plan = decision(
    WORKFLOW,
    "reopen",
    tell=_tell(_branch, _lazy("%(unit)s 的整改完成情况未通过验收，请继续整改")),
)
reopen_plan.__doc__ = "The completion is not accepted: back to rectifying, with the reason."


#: The reviewer's and the secretary's decisions from the plan page (`views.act`).
ACTIONS = {
    "submit": submit_plan,
    "approve": approve_plan,
    "return": return_plan,
    "accept": accept_completion,
    "reopen": reopen_plan,
}
