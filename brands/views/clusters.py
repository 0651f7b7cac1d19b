"""The "1+N" cluster on a brand's page (brands/clusters.py) and the pairing follow-up notes
(brands/pairing.py): POST-only writes; a refusal comes back as a message on the page, invalid
input as the form's errors on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.transitions import TransitionError, error_text

from .. import clusters, pairing
from ..forms_lifecycle import PairingNoteForm
from ..models import ClusterMember, Pairing, PairingNote
from .applications import _application, cluster_form_of, detail_page
from .lifecycle import _attach, _page


def _back_to_cluster(app):
    return redirect(f"{reverse('brands:detail', args=[app.pk])}#cluster")


@login_required
@require_POST
def gather(request, pk):
    """纳入集群: the "1" brand's secretary gathers a brand of the subtree."""
    app = _application(request, pk, clusters.GATHER)
    form = cluster_form_of(request, app, request.POST)
    if form.is_valid():
        try:
            clusters.gather_brand(actor=request.user, lead=app, brand=form.cleaned_data["brand"])
        except ValidationError as exc:
            _attach(form, exc)
        except TransitionError as exc:
            messages.error(request, error_text(exc))
            return _back_to_cluster(app)
        else:
            messages.success(request, _("品牌已纳入“1+N”品牌集群。"))
            return _back_to_cluster(app)
    messages.error(request, _("提交的内容有误，请根据提示修改后重新提交。"))
    return detail_page(request, app, cluster_form=form)


@login_required
@require_POST
def release(request, pk):
    """移出集群."""
    member = get_object_or_404(ClusterMember, pk=pk)
    app = _application(request, member.lead_id, clusters.GATHER)
    try:
        clusters.release_brand(actor=request.user, member=member)
    except TransitionError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("品牌已移出集群。"))
    return _back_to_cluster(app)


def _back_to_pairings(app):
    return redirect(f"{reverse('brands:lifecycle', args=[app.pk])}#pairings")


@login_required
@require_POST
def add_note(request, pk):
    """帮扶跟进: the pairing brand's holder adds a dated note."""
    p = get_object_or_404(Pairing, pk=pk)
    app = _application(request, p.application_id, pairing.FOLLOW)
    form = PairingNoteForm(request.POST)
    if form.is_valid():
        try:
            pairing.add_note(actor=request.user, pairing=p, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        except TransitionError as exc:
            messages.error(request, error_text(exc))
            return _back_to_pairings(app)
        else:
            messages.success(request, _("帮扶跟进已记录。"))
            return _back_to_pairings(app)
    messages.error(request, _("提交的内容有误，请根据提示修改后重新提交。"))
    return _page(request, app, note_form=form, note_pairing=p.pk)


@login_required
@require_POST
def delete_note(request, pk):
    note = get_object_or_404(PairingNote.objects.select_related("pairing"), pk=pk)
    app = _application(request, note.pairing.application_id, pairing.FOLLOW)
    try:
        pairing.remove_note(actor=request.user, note=note)
    except TransitionError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("帮扶跟进已删除。"))
    return _back_to_pairings(app)
