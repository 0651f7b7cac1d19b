"""A member's own page (phone first): their group, their posts, their 五个一 items."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ledger.rules import member_of

from .. import selectors
from ..selectors import assessment as assessment_selectors

RESULTS_SHOWN = 4


@login_required
def me(request):
    member = member_of(request.user)
    context = {"member": member, "posts": [], "items": [], "results": []}
    if member is not None:
        context["posts"] = list(selectors.my_posts(request.user))
        context["items"] = list(selectors.my_items(request.user)[:20])
        if member.party_group_id:
            results = assessment_selectors.published_of_group(member.party_group)
            context["results"] = list(results[:RESULTS_SHOWN])
    return render(request, "groups/me.html", context)
