from django import template

from flagship.selectors.awards import honours_for_units

register = template.Library()


@register.filter
def on_committee(user, cycle) -> bool:
    """Whether the user sits on the cycle's review committee (shows the 评审 tab)."""
    return user.has_perm("flagship.view_committee_board", cycle)


@register.inclusion_tag("flagship/_honour_badge.html")
def honour_badges(unit):
    """The unit's valid flagship honours as badges, for pages outside the flagship app (one
    query; list pages should use selectors.honours_for_units once for all their units)."""

    return {"badges": honours_for_units([unit.pk]).get(unit.pk, [])}
