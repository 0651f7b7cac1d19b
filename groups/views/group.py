"""A party group's own page: its leader, members, meetings and brand card (一组一品牌)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.uploads import image_response
from ledger import selectors as ledger_selectors
from workflow.views import attempt, found_or_404, refusal_on_form

from .. import services
from ..forms import GroupBrandForm
from ..models import GroupBrand, GroupBrandPhoto
from ..selectors import assessment as assessment_selectors

MEETINGS_SHOWN = 12
RESULTS_SHOWN = 8


def _group(request, pk, perm):
    return found_or_404(request, ledger_selectors.group_for_page, pk, perm)


@login_required
def group_page(request, pk):
    group = _group(request, pk, "groups.view_group")
    card = (
        GroupBrand.objects.filter(group=group)
        .select_related("updated_by")
        .prefetch_related("photos")
        .first()
    )
    can_edit = request.user.has_perm("groups.edit_group_brand", group)
    form = None
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    if can_edit:
        form = GroupBrandForm(request.POST or None, request.FILES or None, instance=card)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_group_brand(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as exc:
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("小组品牌已保存。"))
                return redirect("groups:group", group.pk)
    meetings = ledger_selectors.records_of(request.user, group.branch).filter(party_group=group)
    return render(
        request,
        "groups/group.html",
        {
            "group": group,
            "branch": group.branch,
            "card": card,
            "form": form,
            "members": ledger_selectors.group_member_names(group),
            "meetings": list(meetings[:MEETINGS_SHOWN]),
            "honours": assessment_selectors.honours_of(group),
            "results": list(assessment_selectors.published_of_group(group)[:RESULTS_SHOWN]),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _photo(request, pk, perm) -> GroupBrandPhoto:
    photo = get_object_or_404(GroupBrandPhoto.objects.select_related("card__group__branch"), pk=pk)
    if not request.user.has_perm(perm, photo.card.group):
        raise PermissionDenied
    return photo


@login_required
def brand_photo(request, pk, thumb=False):
    """A card photo, for whoever reads the group's page."""
    photo = _photo(request, pk, "groups.view_group")
    return image_response(photo.thumb if thumb else photo.image)


@login_required
@require_POST
def brand_photo_delete(request, pk):
    photo = _photo(request, pk, "groups.edit_group_brand")
    attempt(
        request,
        services.remove_group_brand_photo,
        actor=request.user,
        photo=photo,
        success=_("照片已删除。"),
    )
    return redirect("groups:group", photo.card.group_id)
