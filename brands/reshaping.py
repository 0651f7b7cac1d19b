"""品牌重塑: reshaping an approved brand as a new revision, reviewed up the same chain.

The holder (the brand's secretary, `brands.reshape_brand`) starts a reshaping of a brand in
实施推进, 验收评审 or 已建成: a `Reshaping` draft holding a copy of the brand's content. It is
edited, submitted and decided level by level exactly like an application (`RESHAPING.apply`:
locked, checked against the version the reviewer saw, audited, notified). While it is under
review the approved brand is untouched, shown and valid; returned or rejected, it stays so.
Approved at the last level, its content replaces the brand's — under the brand's row lock, in
the same transaction — as the brand's next `Revision` (naming the reshaping), so the brand
page keeps every earlier version, and each reshaping keeps its own audit trail (who decided
what, when).

Lock order: a transition locks the reshaping, then the brand; starting one locks the brand
alone (at most one reshaping is live per brand, a unique constraint), so none waits on the
other in reverse.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.access import reviewers_at
from branches.selectors import approval_chain
from common.uploads import clean_image, store_all
from workflow.services import notify, record_audit
from workflow.transitions import (
    Workflow,
    chain_approval,
    chain_review,
    chain_submission,
    chain_version,
    decision_telling_applicant,
    submitted_revision,
)

from .models import (
    LIVE_RESHAPING_STATUSES,
    BrandApplication,
    Reshaping,
    ReshapingStatus,
)
from .services import CONTENT_FIELDS, BrandError, require_elements

RS = ReshapingStatus
RESHAPING = Workflow(
    model=Reshaping,
    version=chain_version,
    transitions=chain_review(
        RS, submit_perm="brands.submit_reshaping", review_perm="brands.review_reshaping"
    ),
    select_related=("application", "application__unit", "applicant", "current_level"),
)
#: The audit action recorded on the brand itself when a reshaping replaces its content.
RESHAPED = "reshaped"


def _link(reshaping):
    return reverse("brands:reshaping", args=[reshaping.pk])


def content_of(obj) -> dict:
    """The brand content of an application or a reshaping, as a revision snapshot (the same
    keys `brands.selectors.applications.revision_diff` compares); the attachments are the
    brand's, which a reshaping does not change."""
    app = obj.application if isinstance(obj, Reshaping) else obj
    data = {f: getattr(obj, f) for f in CONTENT_FIELDS}
    data["logo"] = obj.logo.name
    data["attachments"] = list(app.attachments.values_list("original_name", flat=True))
    return data


@transaction.atomic
def start_reshaping(*, actor, application, reason="") -> Reshaping:
    """The holder starts reshaping an approved brand: a draft copying the brand's current
    content (and logo). Refused while another reshaping of the brand is on its way."""
    app = (
        BrandApplication.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=application.pk)
    )
    if not actor.has_perm("brands.reshape_brand", app):
        if actor.has_perm("brands.submit_application", app):  # the holder, too early
            raise BrandError(
                _("只有已获批立项的品牌才能重塑（当前状态：%(s)s）。")
                % {"s": app.get_status_display()}
            )
        raise PermissionDenied(_("只有品牌所属党组织的书记或党务工作者可以发起重塑。"))
    if app.reshapings.filter(status__in=LIVE_RESHAPING_STATUSES).exists():
        raise BrandError(_("该品牌已有进行中的重塑，请先办结。"))
    reshaping = Reshaping(
        application=app,
        applicant=actor,
        based_on=app.revision_number,
        reason=(reason or "").strip(),
        logo=app.logo.name,
        logo_thumb=app.logo_thumb.name,
        **{f: getattr(app, f) for f in CONTENT_FIELDS},
    )
    try:
        with transaction.atomic():
            reshaping.save()
    except IntegrityError as exc:  # a concurrent start for the same brand
        raise BrandError(_("该品牌已有进行中的重塑，请先办结。")) from exc
    record_audit(actor=actor, obj=reshaping, action="create", to_state=RS.DRAFT)
    return reshaping


@transaction.atomic
def save_reshaping_draft(*, actor, reshaping, data: dict, logo=None) -> Reshaping:
    """Edit a reshaping in draft or returned: its content and reason (`data`), a new logo."""
    reshaping = (
        Reshaping.objects.select_for_update(of=("self",))
        .select_related("application__unit")
        .get(pk=reshaping.pk)
    )
    if not actor.has_perm("brands.edit_reshaping", reshaping):
        raise BrandError(
            _("该重塑当前不可编辑（状态：%(s)s）。") % {"s": reshaping.get_status_display()}
        )
    for field in (*CONTENT_FIELDS, "reason"):
        if field in data:
            setattr(reshaping, field, data[field])
    if logo is not None:
        image, thumb = clean_image(logo)
        store_all([(reshaping.logo, image.content), (reshaping.logo_thumb, thumb.content)])
    reshaping.save()
    return reshaping


def _notify_level(reshaping, body=""):
    notify(
        reviewers_at(reshaping.current_level),
        title=_("待审核：%(unit)s 品牌重塑“%(name)s”")
        % {"unit": reshaping.unit, "name": reshaping},
        body=body,
        url=_link(reshaping),
    )


submit_reshaping = chain_submission(
    RESHAPING,
    prepare=require_elements,
    chain_of=lambda reshaping: approval_chain(reshaping.unit),
    snapshot=content_of,
    tell=lambda reshaping, _comment: _notify_level(reshaping, submitted_revision(reshaping)),
)
submit_reshaping.__doc__ = """Submit a draft or returned reshaping: complete content, frozen
as its next revision, to the first level of the brand's chain (a resubmission to the level
that returned it)."""


def _replace_brand(reshaping, actor, comment):
    """The approved reshaping's content becomes the brand's next revision (under its lock)."""
    app = BrandApplication.objects.select_for_update(of=("self",)).get(pk=reshaping.application_id)
    for field in CONTENT_FIELDS:
        setattr(app, field, getattr(reshaping, field))
    app.logo, app.logo_thumb = reshaping.logo.name, reshaping.logo_thumb.name
    app.revision_number += 1
    app.save()
    app.revisions.create(
        number=app.revision_number,
        snapshot=content_of(reshaping),
        created_by=reshaping.applicant,
        reshaping=reshaping,
    )
    record_audit(
        actor=actor,
        obj=app,
        action=RESHAPED,
        from_state=app.status,
        to_state=app.status,
        comment=comment,
    )
    reshaping.application = app


def _approved_by_province(reshaping):
    reshaping.status = RS.APPROVED
    reshaping.approved_at = timezone.now()


def _tell_approved(reshaping, level, comment, actor):
    if reshaping.status == RS.APPROVED:
        _replace_brand(reshaping, actor, comment)
        title = _("品牌重塑“%(name)s”已获通过，品牌已更新") % {"name": reshaping}
    else:
        title = _("品牌重塑“%(name)s”已通过%(level)s审核") % {"name": reshaping, "level": level}
        _notify_level(reshaping, comment)
    notify([reshaping.applicant], title=title, body=comment, url=_link(reshaping))


approve_reshaping = chain_approval(
    RESHAPING,
    chain_of=lambda reshaping: approval_chain(reshaping.unit),
    on_top=_approved_by_province,
    tell=_tell_approved,
)
approve_reshaping.__doc__ = """Approve at the current level: on up the chain, or, after the
last, the reshaping is approved and replaces the brand's content (the brand's next revision)."""


#: Return (the holder edits and resubmits) or reject (the reshaping ends); the brand as
#: approved is untouched either way.
return_reshaping = decision_telling_applicant(
    RESHAPING,
    "return",
    _lazy("品牌重塑“%(name)s”被退回修改"),
    subject=lambda reshaping: {"name": reshaping},
    link=_link,
)
reject_reshaping = decision_telling_applicant(
    RESHAPING,
    "reject",
    _lazy("品牌重塑“%(name)s”未获通过，原品牌保持不变"),
    subject=lambda reshaping: {"name": reshaping},
    link=_link,
)
