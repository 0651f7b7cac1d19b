"""Brand facts for pages outside the brands app (a read of this app's selectors)."""

from django import template

from ..pairing import pairings_with

register = template.Library()


@register.inclusion_tag("brands/_unit_pairings.html")
def unit_pairings(unit):
    """The pairings (结对帮扶) whose partner is `unit`, with its progress and the holders'
    follow-up notes: four queries however many (none when it has no pairing: one)."""
    return {"pairings": pairings_with(unit), "can_follow": False}
