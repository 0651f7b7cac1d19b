from django import template

register = template.Library()


@register.filter
def on_committee(user, cycle) -> bool:
    """Whether the user sits on the cycle's review committee (shows the 评审 tab)."""
    return user.has_perm("flagship.view_committee_board", cycle)
