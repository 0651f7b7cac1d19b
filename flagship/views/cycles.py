from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Role, User
from workflow.transitions import TransitionError, error_text
from workflow.views import attempt

from ..eligibility import check_eligibility
from ..forms import CommitteeForm, CriterionFormSet, CycleForm, DecisionForm
from ..models import CandidacyStatus, Phase
from ..selectors import cycles as selectors
from ..selectors.awards import honours_for_units
from ..services import criteria as criteria_services
from ..services import cycle as cycles
from ..windows import due_transition
from .common import get_cycle, paginate


@login_required
def index(request):
    """旗舰品牌: the running cycle, the secretary's own branches (with why they may not
    apply), and every cycle."""
    user = request.user
    cycle = selectors.current_cycle()
    branches = list(selectors.own_branches(user))
    badges = honours_for_units([u.pk for u in branches])
    own = []
    for unit in branches:
        candidacy = selectors.candidacy_of(cycle, unit) if cycle else None
        verdict = None
        if cycle and candidacy is None and cycle.phase == Phase.APPLICATION:
            verdict = check_eligibility(unit, cycle=cycle)
        own.append(
            {
                "unit": unit,
                "candidacy": candidacy,
                "verdict": verdict,
                "badges": badges.get(unit.pk, []),
            }
        )
    page, query = paginate(request, selectors.cycles(), size=10)
    return render(
        request,
        "flagship/index.html",
        {
            "cycle": cycle,
            "own": own,
            "page": page,
            "query": query,
            "can_manage": user.has_perm("flagship.manage_cycle"),
            "queue_count": selectors.review_queue(user, cycle).count()
            if cycle and user.has_perm("flagship.view_review_queue")
            else None,
            "is_member": cycle is not None
            and user.has_perm("flagship.view_committee_board", cycle),
        },
    )


@login_required
def create(request):
    if not request.user.has_perm("flagship.manage_cycle"):
        raise PermissionDenied
    year = cycles.default_year_start()
    initial = {"year_start": year, **cycles.default_schedule(year)}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            cycles.create_cycle,
            actor=request.user,
            year_start=form.cleaned_data["year_start"],
            data=form.config(),
            form=form,
            success=_("评选周期已创建。"),
        )
        if created:
            return redirect("flagship:cycle", created.value.pk)
    return render(request, "flagship/cycle_form.html", {"form": form, "cycle": None})


@login_required
def edit(request, pk):
    cycle = get_cycle(pk, "flagship.manage_cycle", request.user)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            cycles.update_cycle,
            actor=request.user,
            pk=cycle.pk,
            data=form.config(),
            form=form,
            success=_("评选周期配置已保存。"),
        )
        if saved:
            return redirect("flagship:cycle", cycle.pk)
    cycle.refresh_from_db()
    return render(request, "flagship/cycle_form.html", {"form": form, "cycle": cycle})


@login_required
def detail(request, pk):
    cycle = get_cycle(pk)
    user = request.user
    advances = []
    if user.has_perm("flagship.manage_cycle", cycle):
        for t in cycles.WORKFLOW.available(user, cycle):
            if t.name in cycles.PHASE_ADVANCES:
                advances.append({"t": t, "blocked": cycles.blocking_reason(cycle, t.name)})
    due = due_transition(cycle)
    counts = dict(
        selectors.candidacies_visible_to(user, cycle)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "flagship/cycle_detail.html",
        {
            "cycle": cycle,
            "steps": selectors.phase_steps(cycle),
            "advances": advances,
            "due": cycles.WORKFLOW[due] if due else None,
            "due_blocked": cycles.blocking_reason(cycle, due) if due else "",
            "decision_form": DecisionForm(
                initial={"expected_version": cycles.WORKFLOW.version_of(cycle)}
            ),
            "counts": [(label, counts.get(value, 0)) for value, label in CandidacyStatus.choices],
            "members": cycle.committee_members.select_related("user"),
            "criteria": cycle.criteria.all(),
            "can_manage": user.has_perm("flagship.manage_cycle", cycle),
            "is_member": user.has_perm("flagship.view_committee_board", cycle),
            "is_chair": user.has_perm("flagship.chair", cycle),
            "own_branches": list(selectors.own_branches(user)),
            "timeline": cycles.WORKFLOW.describe(
                selectors.cycle_timeline(cycle), cycles.EXTRA_ACTIONS
            )
            if user.has_perm("flagship.manage_cycle", cycle)
            else None,
        },
    )


@login_required
@require_POST
def advance(request, pk, action):
    cycle = get_cycle(pk, "flagship.manage_cycle", request.user)
    if action not in cycles.PHASE_ADVANCES:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请刷新页面后重试。"))
        return redirect("flagship:cycle", cycle.pk)
    advanced = attempt(
        request, cycles.advance, actor=request.user, pk=cycle.pk, name=action, **form.cleaned_data
    )
    if advanced:
        phase = advanced.value.get_phase_display()
        messages.success(request, _("已进入%(phase)s。") % {"phase": phase})
    return redirect("flagship:cycle", cycle.pk)


def _committee_users():
    return (
        User.objects.filter(roles__role=Role.FLAGSHIP_COMMITTEE, is_active=True)
        .distinct()
        .order_by("username")
    )


@login_required
def committee(request, pk):
    """评审委员会: members of the cycle and its chair (主任委员)."""
    cycle = get_cycle(pk, "flagship.manage_cycle", request.user)
    form = CommitteeForm(request.POST or None, users=_committee_users())
    if request.method == "POST":
        op = request.POST.get("op")
        operations = {
            "add": cycles.add_member,
            "remove": cycles.remove_member,
            "chair": cycles.set_chair,
        }
        if op not in operations:
            raise Http404
        if form.is_valid():
            attempt(
                request,
                operations[op],
                actor=request.user,
                cycle_pk=cycle.pk,
                user=form.cleaned_data["user"],
                success=_("评审委员会已更新。"),
            )
        else:
            messages.error(request, _("请选择评审委员。"))
        return redirect("flagship:committee", cycle.pk)
    return render(
        request,
        "flagship/committee.html",
        {"cycle": cycle, "form": form, "members": cycle.committee_members.select_related("user")},
    )


def _save_criteria(request, cycle, formset, version) -> list[str]:
    """Save the formset's lines through the service; the reasons it was not saved, if any."""
    if not formset.is_valid():
        return [_("评分表未保存，请按提示修改后重新提交。")]
    rows = formset.rows()
    try:
        criteria_services.save_criteria(
            actor=request.user, cycle_pk=cycle.pk, rows=rows, expected_version=version
        )
    except ValidationError as exc:
        return exc.messages
    except TransitionError as exc:
        return [error_text(exc)]
    return []


@login_required
def criteria(request, pk):
    """评分表: the committee's scoring table, edited as a whole (change, add, tick to delete)
    until the first committee score; read-only after, with the reason."""
    cycle = get_cycle(pk, "flagship.manage_cycle", request.user)
    saved = list(cycle.criteria.all())
    frozen = criteria_services.criteria_frozen_reason(cycle)
    if frozen and request.method == "POST":
        messages.error(request, frozen)
        return redirect("flagship:criteria", cycle.pk)
    formset, errors = None, []
    version = criteria_services.criteria_version(saved)
    if not frozen:
        formset = CriterionFormSet(
            request.POST if request.method == "POST" else None,
            initial=[
                {"id": c.pk, "name": c.name, "max_points": c.max_points, "source": c.source}
                for c in saved
            ],
            prefix="criteria",
        )
    if formset is not None and request.method == "POST":
        version = request.POST.get("expected_version") or version
        errors = _save_criteria(request, cycle, formset, version)
        if not errors:
            messages.success(request, _("评分表已保存。"))
            return redirect("flagship:criteria", cycle.pk)
    total = criteria_services.criteria_total(saved)
    return render(
        request,
        "flagship/criteria.html",
        {
            "cycle": cycle,
            "criteria": saved,
            "formset": formset,
            "errors": errors,
            "frozen": frozen,
            "version": version,
            "total": total,
            "total_warning": criteria_services.total_warning(total),
        },
    )
