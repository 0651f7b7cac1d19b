"""A member's own page (phone first): their group, their posts, their 五个一 items, their own
published results (党员考评) and the open periods they may self-assess in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ledger.rules import member_of

from .. import selectors
from ..selectors import assessment as assessment_selectors
from ..selectors import members as member_selectors

RESULTS_SHOWN = 4


@login_required
def me(request):
    member = member_of(request.user)
    context = {"member": member, "posts": [], "items": [], "results": []}
    if member is not None:
        context["my_results"] = list(member_selectors.my_results(request.user)[:RESULTS_SHOWN])
        context["my_open"] = list(member_selectors.my_open(request.user))
        context["posts"] = list(selectors.my_posts(request.user))
        context["items"] = list(selectors.my_items(request.user)[:20])
        if member.party_group_id:
            results = assessment_selectors.published_of_group(member.party_group)
            context["results"] = list(results[:RESULTS_SHOWN])
    return render(request, "groups/me.html", context)
