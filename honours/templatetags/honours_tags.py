"""The honours a unit received, for the unit's pages (a read of this app's selector)."""

from django import template

from ..selectors import honours_of_unit

register = template.Library()


@register.inclusion_tag("honours/_unit_honours.html")
def unit_honours(unit):
    return {"honours": list(honours_of_unit(unit)[:10])}
