"""Writes of brand applications. Every state change passes through `WORKFLOW.apply` (via
`_apply`): locked, checked, audited and notified in one transaction, and the cached figures it
changes (brands/cache.py) are invalidated once it commits."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at
from branches.models import UnitType
from branches.selectors import approval_chain
from common.errors import DomainError, error_text
from common.uploads import clean_image, save_document, store_all
from workflow.services import notify, record_audit
from workflow.transitions import (
    Transition,
    TransitionError,
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

from . import cache
from .audit import Action
from .models import LIVE_STATUSES, Attachment, BrandApplication, Level, Status

S = Status
WORKFLOW = Workflow(
    model=BrandApplication,
    version=chain_version,
    transitions=[
        *chain_review(
            S, submit_perm="brands.submit_application", review_perm="brands.review_application"
        ),
        Transition(
            Action.REQUEST_ACCEPTANCE,
            (S.IMPLEMENTING,),
            S.ACCEPTANCE,
            _lazy("申请验收"),
            "brands.request_acceptance",
        ),
        Transition(
            Action.PASS_ACCEPTANCE,
            (S.ACCEPTANCE,),
            S.BUILT,
            _lazy("验收通过"),
            "brands.judge_acceptance",
            style="success",
        ),
        Transition(
            Action.FAIL_ACCEPTANCE,
            (S.ACCEPTANCE,),
            S.IMPLEMENTING,
            _lazy("验收未通过"),
            "brands.judge_acceptance",
            comment_required=True,
            style="warning",
        ),
    ],
    # a coverage rate or the showcase's counts may change with the status
    on_change=lambda app, from_state: cache.status_changed(from_state, app.status),
)

#: The fields of an application that make up its content (kept in every revision).
CONTENT_FIELDS = ("name", "slogan", "brand_type", "core_idea", "goal", "measures", "results")


class BrandError(TransitionError):
    pass


def _link(app):
    return reverse("brands:detail", args=[app.pk])


@transaction.atomic
def save_application_draft(*, actor, unit=None, application=None, data: dict, logo=None):
    """Create the unit's application (a 党支部 or 党总支: `rules.may_hold_brand`) or update its
    draft. A unit has at most one live brand; a draft may be incomplete (everything is checked
    on submission)."""
    if application is None:
        if not actor.has_perm("brands.file_application", unit):
            raise PermissionDenied(_("只有本党支部或党总支的书记、党务工作者可以申报品牌。"))
        if BrandApplication.objects.filter(unit=unit, status__in=LIVE_STATUSES).exists():
            raise BrandError(_("该党组织已有在建或已建成的品牌，不能重复申报。"))
        application = BrandApplication(unit=unit, applicant=actor)
    else:
        application = BrandApplication.objects.select_for_update().get(pk=application.pk)
        if not actor.has_perm("brands.edit_application", application):
            raise BrandError(
                _("该申报当前不可编辑（状态：%(s)s）。") % {"s": application.get_status_display()}
            )
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(application, field, data[field])
    if logo is not None:
        image, thumb = clean_image(logo)
        store_all([(application.logo, image.content), (application.logo_thumb, thumb.content)])
    created = application.pk is None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent first filing for the same branch
        raise BrandError(_("该党组织已有在建或已建成的品牌，不能重复申报。")) from exc
    if created:
        record_audit(actor=actor, obj=application, action="create", to_state=Status.DRAFT)
        cache.status_changed(None, Status.DRAFT)
    return application


def missing_elements(app: BrandApplication) -> list[str]:
    """The six elements, type and core idea that a submission still lacks, in Chinese."""
    checks = [
        (app.name.strip(), _("品牌名称")),
        (app.logo, _("品牌标识")),
        (app.slogan.strip(), _("品牌传播语")),
        (app.brand_type, _("创建类型")),
        (app.core_idea.strip(), _("核心理念")),
        (app.goal.strip(), _("建设目标")),
        ([m for m in app.measures if str(m).strip()], _("创建举措")),
        (app.results.strip(), _("创建成效")),
    ]
    return [label for value, label in checks if not value]


def snapshot(app: BrandApplication) -> dict:
    data = {f: getattr(app, f) for f in CONTENT_FIELDS}
    data["logo"] = app.logo.name
    data["attachments"] = list(app.attachments.values_list("original_name", flat=True))
    return data


def require_elements(brand, _actor=None) -> None:
    """A brand's content (an application's or a reshaping's) goes to review only with every
    element filled in (`missing_elements`)."""
    require_complete(missing_elements(brand))


submit_application = chain_submission(
    WORKFLOW,
    prepare=require_elements,
    chain_of=lambda app: approval_chain(app.unit),
    snapshot=snapshot,
    tell=telling(
        lambda app: reviewers_at(app.current_level),
        _lazy("待审核：%(unit)s 品牌申报“%(name)s”"),
        subject=lambda app: {"unit": app.unit, "name": app},
        link=_link,
        body=submitted_revision,
    ),
)
submit_application.__doc__ = """Submit a draft or a returned application. Everything must be
complete; the content is frozen as a new revision; a first submission goes to the first level
of the approval chain, a resubmission back to the level that returned it."""


def _approved_by_province(app):
    app.status = S.IMPLEMENTING
    app.approved_at = timezone.now()


approve_application = chain_approval(
    WORKFLOW,
    chain_of=lambda app: approval_chain(app.unit),
    on_top=_approved_by_province,
    tell=telling_approval(
        done=lambda app: app.status == S.IMPLEMENTING,
        reviewers=lambda app: reviewers_at(app.current_level),
        titles={
            "done": _lazy("品牌“%(name)s”已获批立项，进入实施推进阶段"),
            "level": _lazy("品牌“%(name)s”已通过%(level)s审核"),
            "next": _lazy("待审核：%(unit)s 品牌申报“%(name)s”"),
        },
        subject=lambda app: {"name": app, "unit": app.unit},
        link=_link,
    ),
)
approve_application.__doc__ = """Approve at the current level: on to the next level of the
chain, or, after the last (the province), the brand is approved and enters implementation
(实施推进)."""


@dataclass(frozen=True)
class ItemDecision:
    """What became of one application in a bulk approval: approved, or refused with the
    reason as shown."""

    application: BrandApplication
    approved: bool
    reason: str = ""


@transaction.atomic
def approve_applications(*, actor, seen: dict, comment="") -> list[ItemDecision]:
    """批量审核通过: approve each application of `seen` (pk → `WORKFLOW.version_of` as the
    reviewer's page showed it) as `approve_application` does, each at the version the reviewer
    saw: one that moved on since (approved by someone else, returned, resubmitted) is refused
    as already handled, as on its own page. One transaction, each application decided on its
    own (a refusal undoes only its own savepoint); the decisions come back in the order of the
    applications' ids."""
    decisions = []
    for app in BrandApplication.objects.filter(pk__in=seen).order_by("pk"):
        version = seen[app.pk]
        if not version:
            decisions.append(ItemDecision(app, False, _("页面已过期，请刷新后重新勾选。")))
            continue
        try:
            with transaction.atomic():
                approve_application(
                    actor=actor, pk=app.pk, comment=comment, expected_version=version
                )
        except (ValidationError, DomainError) as exc:
            decisions.append(ItemDecision(app, False, error_text(exc)))
        else:
            decisions.append(ItemDecision(app, True))
    return decisions


def _decided(action, title):
    return decision_telling_applicant(
        WORKFLOW, action, title, subject=lambda app: {"name": app}, link=_link
    )


return_application = _decided(Action.RETURN, _lazy("品牌“%(name)s”被退回修改"))
return_application.__doc__ = """Return to the branch with a required comment; it edits and
resubmits a new revision, which comes back to the level that returned it."""
reject_application = _decided(Action.REJECT, _lazy("品牌“%(name)s”未获通过"))
reject_application.__doc__ = """Reject with a required comment; the branch may file a new brand
later."""


def request_acceptance(*, actor, pk, comment="", expected_version=None):
    def after_save(app, _t, _from):
        chain = [u for u in approval_chain(app.unit) if u.unit_type != UnitType.GENERAL_BRANCH]
        notify(
            reviewers_at(chain[0]) if chain else [],
            title=_("验收申请：%(unit)s 品牌“%(name)s”") % {"unit": app.unit, "name": app},
            body=comment,
            url=_link(app),
        )

    return WORKFLOW.apply(
        pk,
        Action.REQUEST_ACCEPTANCE,
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        after_save=after_save,
    )


# 验收评审 (pass_acceptance / fail_acceptance) is judged by scoring the brand on the five-force
# table: brands/acceptance.py `score_acceptance`.


@transaction.atomic
def name_provincial(*, actor, pk, comment="", expected_version=None):
    """A built brand becomes a provincial-level brand (省公司级品牌): the decision of the
    province's selection round (selection.services.publish_round calls this for each brand
    selected; no page offers it on its own), by the province's reviewer."""
    app = BrandApplication.objects.select_for_update().get(pk=pk)
    if expected_version is not None and WORKFLOW.version_of(app) != expected_version:
        raise BrandError(_("该品牌状态已变化，请刷新后查看。"))
    if not actor.has_perm("brands.name_provincial", app):
        raise PermissionDenied
    if app.status != S.BUILT:
        raise BrandError(_("只有已建成的品牌才能评为省公司级品牌。"))
    if app.level == Level.PROVINCIAL:
        raise BrandError(_("该品牌已是省公司级品牌。"))
    app.level = Level.PROVINCIAL
    app.save(update_fields=["level", "updated_at"])
    record_audit(
        actor=actor,
        obj=app,
        action="name_provincial",
        from_state=Level.BRANCH,
        to_state=Level.PROVINCIAL,
        comment=comment,
    )
    notify(
        [app.applicant], title=_("品牌“%(name)s”被评为省公司级品牌") % {"name": app}, url=_link(app)
    )
    return app


@transaction.atomic
def add_attachment(*, actor, application, upload):
    app = BrandApplication.objects.select_for_update().get(pk=application.pk)
    if not actor.has_perm("brands.edit_application", app):
        raise BrandError(_("该申报当前不可编辑。"))
    return save_document(Attachment(application=app), upload, actor=actor)


@transaction.atomic
def remove_attachment(*, actor, attachment):
    app = BrandApplication.objects.select_for_update().get(pk=attachment.application_id)
    if not actor.has_perm("brands.edit_application", app):
        raise BrandError(_("该申报当前不可编辑。"))
    attachment.delete_with_file()
