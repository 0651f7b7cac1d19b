"""Writes of the work templates: publishing a new template and revising one (a new version)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from workflow.services import record_audit

from ..models import MeetingTemplate
from ..models.templates import VERSIONED_FIELDS


def _require_owner_rights(actor, owner):
    if not actor.has_perm("ledger.manage_templates", owner):
        raise PermissionDenied(_("只有制定单位的系统管理员可以发布或修订模板。"))


@transaction.atomic
def publish_template(*, actor, data: dict, key: str = "") -> MeetingTemplate:
    """A new template, version 1."""
    _require_owner_rights(actor, data.get("owner"))
    template = MeetingTemplate(key=key or uuid.uuid4().hex[:16], version=1, published_by=actor)
    for field in VERSIONED_FIELDS:
        if field in data:
            setattr(template, field, data[field])
    template.full_clean()
    template.save()
    record_audit(
        actor=actor, obj=template, action="template_publish", to_state="v1", unit=template.owner
    )
    return template


@transaction.atomic
def revise_template(*, actor, template: MeetingTemplate, data: dict, reason: str = ""):
    """Publish the next version of a template: the current one is locked (two editors cannot
    both publish "v3"), retired, and the new one copies it with `data` applied. Published
    versions themselves never change."""
    current = (
        MeetingTemplate.objects.select_for_update(of=("self",))
        .filter(key=template.key, is_current=True)
        .select_related("owner")
        .get()
    )
    _require_owner_rights(actor, current.owner)
    content = current.content()
    content.update({k: v for k, v in data.items() if k in VERSIONED_FIELDS})
    _require_owner_rights(actor, content["owner"])
    new = MeetingTemplate(
        key=current.key, version=current.version + 1, published_by=actor, **content
    )
    new.full_clean(validate_constraints=False)  # the current flag moves below
    current.is_current = False
    current.save(update_fields=["is_current"])
    new.save()
    record_audit(
        actor=actor,
        obj=new,
        action="template_revise",
        from_state=f"v{current.version}",
        to_state=f"v{new.version}",
        comment=reason,
        unit=new.owner,
    )
    return new
