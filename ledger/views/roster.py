"""Roster pages: the branches a reader may open, one branch's roster, a member's page, and the
secretary's forms. Thin: check the permission, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from branches.models import OrgUnit
from common.pagination import SEARCH_MAX_ROWS, paginate
from common.reversing import pk_url
from workflow.selectors import timeline
from workflow.views import found_or_404, refusal_on_form

from .. import selectors, services
from ..forms import DeactivateForm, GroupForm, LeaderForm, MemberForm, MoveForm, RosterFilterForm
from ..models import Member, PartyGroup
from ..rules import member_of
from .units import branch_or_404

PAGE_SIZE = 30

#: How the audit trail's ledger actions read on a member's page.
ACTION_LABELS = {
    "member_add": _lazy("登记入册"),
    "member_edit": _lazy("修改信息"),
    "member_move_group": _lazy("调整党小组"),
    "member_move_branch": _lazy("调动党支部"),
    "member_deactivate": _lazy("停用"),
    "roster_import": _lazy("名册导入"),
    "member_link_account": _lazy("关联平台账号"),
    "member_unlink_account": _lazy("解除平台账号关联"),
}


def member_or_404(request, pk, perm="ledger.view_roster") -> Member:
    return found_or_404(
        request, selectors.member_for_page, pk, perm, checked_on=lambda member: member.branch
    )


@login_required
def index(request):
    """The branches whose roster the user may open (a secretary: usually one)."""
    if not request.user.has_perm("ledger.browse_rosters"):
        if member_of(request.user) is not None:  # a member: their own row
            return redirect("ledger:my_record")
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:64]
    page, query = paginate(
        request,
        selectors.branches_with_rosters(request.user, q=q),
        PAGE_SIZE,
        max_rows=SEARCH_MAX_ROWS if q else None,
    )
    if page.paginator.count == 1 and not q:
        return redirect("ledger:roster", page.object_list[0].pk)
    return render(request, "ledger/index.html", {"page": page, "query": query, "q": q})


@login_required
def roster(request, branch_pk):
    branch = branch_or_404(request, branch_pk)
    groups = list(selectors.groups_of(branch))
    form = RosterFilterForm(request.GET or None, groups=groups)
    filters = form.filters()
    members = selectors.roster_listed(request.user, branch, **filters)
    page, query = paginate(
        request, members, PAGE_SIZE, max_rows=SEARCH_MAX_ROWS if filters.get("q") else None
    )
    # per row, written once though the table and the narrow screens' cards both show it: the
    # link (no reverse() per row: common.reversing.pk_url), the status, the masked phone
    link = pk_url("ledger:member")
    for m in page:
        m.link, m.status_label, m.phone_shown = link(m.pk), m.get_status_display(), m.masked_phone
    return render(
        request,
        "ledger/roster.html",
        {
            "branch": branch,
            "groups": groups,
            "form": form,
            "page": page,
            "query": query,
            "can_edit": request.user.has_perm("ledger.edit_roster", branch),
        },
    )


@login_required
def member_detail(request, pk):
    member = member_or_404(request, pk)
    can_edit = request.user.has_perm("ledger.edit_roster", member.branch)
    entries = list(timeline(member))
    for e in entries:
        e.action_label = ACTION_LABELS.get(e.action, e.action)
    return render(
        request,
        "ledger/member_detail.html",
        {
            "member": member,
            "branch": member.branch,
            "can_edit": can_edit,
            # The full number only for those who keep the roster.
            "phone": member.phone if can_edit else member.masked_phone,
            "timeline": entries,
            "deactivate_form": DeactivateForm() if can_edit and member.is_active else None,
        },
    )


@login_required
def member_add(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "ledger.edit_roster")
    form = MemberForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(actor=request.user, branch=branch, data=form.member_data())
        except (ValidationError, services.RosterError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("已将 %(name)s 登记入册。") % {"name": member.name})
            return redirect("ledger:roster", branch.pk)
    return render(request, "ledger/member_form.html", {"form": form, "branch": branch})


@login_required
def member_edit(request, pk):
    member = member_or_404(request, pk, "ledger.edit_roster")
    form = MemberForm(request.POST or None, instance=member, branch=member.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_member(
                actor=request.user,
                member=member,
                data=form.member_data(),
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, services.RosterError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("党员信息已保存。"))
            return redirect("ledger:member", member.pk)
    return render(
        request,
        "ledger/member_form.html",
        {"form": form, "branch": member.branch, "member": member},
    )


@login_required
def member_move(request, pk):
    member = member_or_404(request, pk, "ledger.edit_roster")
    form = MoveForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_branch = None
        if data["branch_code"]:
            to_branch = OrgUnit.objects.filter(code=data["branch_code"].strip()).first()
            if to_branch is None:
                form.add_error("branch_code", _("没有这个组织编码。"))
        if form.is_valid():
            try:
                services.move_member(
                    actor=request.user,
                    member=member,
                    reason=data["reason"],
                    to_group=data["party_group"],
                    to_branch=to_branch,
                )
            except (ValidationError, services.RosterError, PermissionDenied) as exc:
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("调动已完成。"))
                if to_branch is not None:
                    return redirect("ledger:roster", member.branch_id)
                return redirect("ledger:member", member.pk)
    return render(
        request,
        "ledger/member_move.html",
        {"form": form, "member": member, "branch": member.branch},
    )


@login_required
@require_POST
def member_deactivate(request, pk):
    member = member_or_404(request, pk, "ledger.edit_roster")
    form = DeactivateForm(request.POST)
    if form.is_valid():
        try:
            services.deactivate_member(
                actor=request.user,
                member=member,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, services.RosterError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("%(name)s 已停用。") % {"name": member.name})
    else:
        messages.error(request, _("请填写离开日期和停用原因。"))
    return redirect("ledger:member", member.pk)


@login_required
def groups(request, branch_pk):
    branch = branch_or_404(request, branch_pk)
    can_edit = request.user.has_perm("ledger.edit_roster", branch)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.create_group(
                    actor=request.user, branch=branch, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("党小组已添加。"))
                return redirect("ledger:groups", branch.pk)
    return render(
        request,
        "ledger/groups.html",
        {
            "branch": branch,
            "groups": selectors.groups_of(branch),
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
    )


@login_required
def group_leader(request, pk):
    group = get_object_or_404(PartyGroup.objects.select_related("branch", "leader"), pk=pk)
    if not request.user.has_perm("ledger.edit_roster", group.branch):
        raise PermissionDenied
    form = LeaderForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_group_leader(
                actor=request.user,
                group=group,
                member=form.cleaned_data["member"],
                elected_on=form.cleaned_data["elected_on"],
            )
        except (ValidationError, services.RosterError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("党小组长已更新。"))
            return redirect("ledger:groups", group.branch_id)
    return render(
        request, "ledger/group_leader.html", {"form": form, "group": group, "branch": group.branch}
    )
