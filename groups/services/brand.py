"""The group brand card (一组一品牌): one write, atomic, locked and audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from workflow.services import record_audit

from ..audit import Action
from ..models import GroupBrand


@transaction.atomic
def save_group_brand(*, actor, group, name: str, idea: str, highlights: str = "") -> GroupBrand:
    if not actor.has_perm("groups.edit_group_brand", group):
        raise PermissionDenied(_("只有党小组长或支部书记可以维护小组品牌。"))
    card = GroupBrand.objects.select_for_update().filter(group=group).first()
    created = card is None
    if created:
        card = GroupBrand(group=group)
    card.name, card.idea, card.highlights, card.updated_by = name, idea, highlights, actor
    card.full_clean()
    card.save()
    record_audit(
        actor=actor,
        obj=card,
        action=Action.GROUP_BRAND_SAVED,
        comment=_("创建") if created else _("修改"),
        unit=group.branch,
    )
    return card
