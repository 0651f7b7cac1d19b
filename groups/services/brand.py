"""The group brand card (一组一品牌): one write, atomic, locked and audited; its photos are
decoded and re-encoded before the lock (`common.uploads.clean_photos`: EXIF and anything hidden
gone), stored inside the transaction, and deleted again when the write does not happen."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.uploads import clean_photos, discard, save_photo
from workflow.services import record_audit

from ..audit import Action
from ..models import GROUP_BRAND_MAX_PHOTOS, GroupBrand, GroupBrandPhoto


def _refuse():
    return PermissionDenied(_("只有党小组长或支部书记可以维护小组品牌。"))


def _check_photo_limit(new: int, have: int):
    if new and have + new > GROUP_BRAND_MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _("小组品牌最多 %(n)d 张照片：已有 %(have)d 张，本次选择了 %(m)d 张。")
                % {"n": GROUP_BRAND_MAX_PHOTOS, "have": have, "m": new}
            }
        )


def save_group_brand(
    *, actor, group, name: str, idea: str, highlights: str = "", photos=()
) -> GroupBrand:
    """Create or change the group's card; `photos` (uploads) are added, at most
    GROUP_BRAND_MAX_PHOTOS in all (counted again under the lock). Kept by the group's elected
    leader or the branch's keepers (`groups.edit_group_brand`)."""
    if not actor.has_perm("groups.edit_group_brand", group):
        raise _refuse()
    photos = list(photos or ())
    if photos:
        have = GroupBrandPhoto.objects.filter(card__group=group).count()
        _check_photo_limit(len(photos), have)
    cleaned = clean_photos(photos) if photos else []  # the slow part, before any lock
    written = []
    try:
        with transaction.atomic():
            return _write(actor, group, name, idea, highlights, cleaned, written)
    except BaseException:
        discard(written)  # files are not part of the rolled-back transaction
        raise


def _write(actor, group, name, idea, highlights, cleaned, written) -> GroupBrand:
    card = GroupBrand.objects.select_for_update().filter(group=group).first()
    created = card is None
    if created:
        card = GroupBrand(group=group)
    card.name, card.idea, card.highlights, card.updated_by = name, idea, highlights, actor
    card.full_clean()
    card.save()
    if cleaned:
        _check_photo_limit(len(cleaned), card.photos.count())
        for image, thumb in cleaned:
            save_photo(GroupBrandPhoto(card=card, uploaded_by=actor), image, thumb, written=written)
    parts = [_("创建") if created else _("修改")]
    if cleaned:
        parts.append(_("照片 %(n)d 张") % {"n": len(cleaned)})
    record_audit(
        actor=actor,
        obj=card,
        action=Action.GROUP_BRAND_SAVED,
        comment="；".join(parts),
        unit=group.branch,
    )
    return card


@transaction.atomic
def remove_group_brand_photo(*, actor, photo: GroupBrandPhoto) -> None:
    """Remove one photo of a card (its files once the removal is committed); audited."""
    card = (
        GroupBrand.objects.select_for_update().select_related("group__branch").get(pk=photo.card_id)
    )
    if not actor.has_perm("groups.edit_group_brand", card.group):
        raise _refuse()
    photo = GroupBrandPhoto.objects.filter(pk=photo.pk, card=card).first()
    if photo is None:  # removed meanwhile (another tab): nothing left to do
        return
    files = [photo.image, photo.thumb]
    photo.delete()
    transaction.on_commit(lambda: discard(files))
    record_audit(
        actor=actor,
        obj=card,
        action=Action.GROUP_BRAND_PHOTO_REMOVED,
        unit=card.group.branch,
    )
