"""一组一品牌 (seed 004): each party group builds a brand of its own — a name, the idea behind it
and what it has done — kept by the group's leader or the branch's secretary."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Photo

#: Photos a group brand card holds at most (the card is a card, not an album).
GROUP_BRAND_MAX_PHOTOS = 6


class GroupBrand(models.Model):
    group = models.OneToOneField(
        "ledger.PartyGroup",
        verbose_name=_("党小组"),
        on_delete=models.CASCADE,
        related_name="brand_card",
    )
    name = models.CharField(_("小组品牌名称"), max_length=64)
    idea = models.TextField(_("品牌理念"), max_length=1000)
    highlights = models.TextField(_("特色亮点"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("小组品牌")
        verbose_name_plural = _("小组品牌")

    def __str__(self):
        return self.name


class GroupBrandPhoto(Photo):
    """A photo of the group's brand card, re-encoded like every photo (`common.uploads`)."""

    upload_dir = "groups/brand/%Y/%m/"

    card = models.ForeignKey(GroupBrand, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("小组品牌照片")
        verbose_name_plural = _("小组品牌照片")
