"""五个一 pages: a branch's items with counts per group and the branch's decisions; filing an
item (a member for themself, a group leader for their group, the secretary for anyone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import OrgUnit, UnitType
from branches.selectors import units_visible_to
from common.pagination import paginate
from ledger.rules import member_of
from ledger.views.units import branch_or_404
from workflow.views import attempt, refusal_on_form
from workflow.windows import local_today

from .. import selectors, services
from ..forms import DecisionForm, InnovationForm
from ..models import InnovationItem

AREA_PAGE_SIZE = 50


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return local_today().year


@login_required
def branch_items(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "groups.view_posts")
    year = _year(request)
    can_decide = request.user.has_perm("groups.manage_posts", branch)
    decision_form = None
    if can_decide:
        decision_form = DecisionForm(user=request.user, branch=branch, year=year)
    return render(
        request,
        "groups/innovation.html",
        {
            "branch": branch,
            "year": year,
            "items": list(selectors.items_of(branch, year)),
            "counts": selectors.counts_by_group(branch, year),
            "can_decide": can_decide,
            "decision_form": decision_form,
            # the year's meetings, read once for every item's decision form
            "meetings": list(decision_form.fields["meeting"].queryset) if can_decide else [],
        },
    )


@login_required
def item_new(request, branch_pk):
    branch = get_object_or_404(OrgUnit, pk=branch_pk, unit_type=UnitType.BRANCH)
    form = InnovationForm(request.POST or None, user=request.user, branch=branch)
    if not form.fields["member"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.file_item(actor=request.user, **form.cleaned_data)
        except (ValidationError, services.InnovationError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("五个一项目已申报。"))
            if request.user.has_perm("groups.view_posts", branch):
                return redirect("groups:innovation", branch.pk)
            return redirect("groups:my_innovation")
    return render(request, "groups/innovation_form.html", {"branch": branch, "form": form})


def _item(request, pk) -> InnovationItem:
    item = get_object_or_404(InnovationItem.objects.select_related("branch"), pk=pk)
    if not request.user.has_perm("groups.manage_posts", item.branch):
        raise PermissionDenied
    return item


def _back_to_year(item):
    """The branch's page of the item's year, where the decision was taken."""
    return redirect(f"{reverse('groups:innovation', args=[item.branch_id])}?year={item.year}")


@login_required
@require_POST
def item_decide(request, pk):
    item = _item(request, pk)
    form = DecisionForm(request.POST, user=request.user, branch=item.branch, year=item.year)
    if form.is_valid():
        attempt(
            request,
            services.decide_item,
            actor=request.user,
            item_id=item.pk,
            success=_("评选结果已保存。"),
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("请选择评选结果和本支部的会议记录。"))
    return _back_to_year(item)


@login_required
@require_POST
def item_recommend(request, pk):
    item = _item(request, pk)
    attempt(
        request,
        services.recommend_item,
        actor=request.user,
        item_id=item.pk,
        success=_("已向上推荐。"),
    )
    return _back_to_year(item)


@login_required
def mine(request):
    """A member's own items, and where they may file a new one."""
    return render(
        request,
        "groups/innovation_mine.html",
        {
            "items": list(selectors.my_items(request.user)),
            "member": member_of(request.user),
        },
    )


@login_required
def area(request, unit_pk=None):
    """A committee's 五个一 overview: the year's items per branch of its subtree (counts)."""
    if unit_pk:  # another subtree's unit: 403, as everywhere (unknown ids: 404)
        unit = get_object_or_404(OrgUnit, pk=unit_pk)
    else:
        unit = units_visible_to(request.user).order_by("path").first()
    if unit is None or not request.user.has_perm("ledger.view_compliance", unit):
        raise PermissionDenied
    year = _year(request)
    page, query = paginate(request, selectors.innovation_overview(unit, year), AREA_PAGE_SIZE)
    return render(
        request,
        "groups/innovation_area.html",
        {"unit": unit, "year": year, "page": page, "query": query},
    )
