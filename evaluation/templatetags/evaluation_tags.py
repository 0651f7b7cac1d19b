from django import template
from django.utils.translation import gettext_lazy as _

from common.formats import points

register = template.Library()


@register.filter
def stars(value) -> str:
    """★★★☆☆ for 3; an em dash when there is no star (not scored, or voided)."""
    if value is None or value == "":
        return "—"
    n = max(0, min(5, int(value)))
    return "★" * n + "☆" * (5 - n)


register.filter("points", points)


TIERS = {
    1: _("第一梯队（巩固提升，争创品牌）"),
    2: _("第二梯队（深化创新）"),
    3: _("第三梯队（整改提升）"),
}


@register.filter
def tier_label(value) -> str:
    return TIERS.get(value, "—")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
