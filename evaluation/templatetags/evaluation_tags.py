from django import template
from django.utils.html import format_html
from django.utils.translation import gettext
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


#: The colours of an indicator's kind badge (basic items: light).
KIND_BADGES = {
    "deduction": "bg-warning text-dark",
    "veto": "bg-dark",
    "special": "bg-info text-dark",
}


@register.simple_tag
def indicator_badges(indicator):
    """`{% indicator_badges i %}`: the indicator's kind badge, then 线上评分 when its score is
    computed online. A tag rather than an include: the tables and the assessment page show one
    per row (issue #19: an `{% include %}` per row was ~10 % of the assessment page)."""
    online = ""
    if indicator.online_rule:
        online = format_html(
            ' <span class="badge bg-success" data-testid="online-{}" title="{}">{}</span>',
            indicator.code,
            indicator.get_online_rule_display(),
            gettext("线上评分"),
        )
    return format_html(
        '<span class="badge {}">{}</span>{}\n',
        KIND_BADGES.get(indicator.kind, "bg-light text-dark"),
        indicator.get_kind_display(),
        online,
    )
