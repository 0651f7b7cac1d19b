from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.views import attempt

from ..forms import HandleObjectionForm, ObjectionForm
from ..models import Candidacy, Objection, ObjectionStatus
from ..selectors import cycles as selectors
from ..services import notice as notices
from ..windows import notice_window
from .common import get_cycle, paginate


@login_required
def notice(request, pk):
    """公示: the accepted candidates, open to every logged-in user, who may object."""
    cycle = get_cycle(pk, "flagship.view_cycles", request.user)
    page, query = paginate(request, selectors.notice_list(cycle))
    return render(
        request,
        "flagship/notice.html",
        {
            "cycle": cycle,
            "page": page,
            "query": query,
            "notice_error": notice_window(cycle).check()[1],
            "objection_form": ObjectionForm(),
            "mine": selectors.my_objections(request.user, cycle),
            "can_handle": request.user.has_perm("flagship.handle_objections", cycle),
        },
    )


@login_required
@require_POST
def object_to(request, pk):
    candidacy = get_object_or_404(Candidacy, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写异议内容（不超过 2000 字）。"))
    else:
        attempt(
            request,
            notices.file_objection,
            actor=request.user,
            candidacy_pk=candidacy.pk,
            text=form.cleaned_data["text"],
            success=_("异议已提交，评审委员会将核实处理并告知您结果。"),
        )
    return redirect("flagship:notice", candidacy.cycle_id)


@login_required
def objections(request, pk):
    cycle = get_cycle(pk, "flagship.handle_objections", request.user)
    status = request.GET.get("status", "")
    if status not in ObjectionStatus.values:
        status = ""
    page, query = paginate(request, selectors.objections_of(cycle, status=status))
    return render(
        request,
        "flagship/objections.html",
        {
            "cycle": cycle,
            "page": page,
            "query": query,
            "status": status,
            "statuses": ObjectionStatus.choices,
            "form": HandleObjectionForm(),
        },
    )


@login_required
@require_POST
def handle(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("candidacy"), pk=pk)
    cycle_id = objection.candidacy.cycle_id
    if not request.user.has_perm("flagship.handle_objections", objection.candidacy.cycle):
        raise PermissionDenied
    form = HandleObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理意见。"))
    else:
        attempt(
            request,
            notices.handle_objection,
            actor=request.user,
            pk=objection.pk,
            success=_("异议已处理。"),
            **form.cleaned_data,
        )
    return redirect("flagship:objections", cycle_id)
