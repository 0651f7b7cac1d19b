from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from rules.contrib.views import PermissionRequiredMixin

from common.pagination import SEARCH_MAX_ROWS, paginate

from . import importing, selectors, worklist
from .forms import OrgImportForm, UnitFilterForm
from .keyset import keyset_paginate
from .models import OrgUnit

PAGE_SIZE = 50


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "branches/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            roles=user.role_assignments, board=worklist.dashboard_for(user), **kwargs
        )


class UnitListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "branches.browse_units"
    template_name = "branches/unit_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = UnitFilterForm(self.request.GET or None)
        filters = {k: v for k, v in form.filters().items() if v}
        units = selectors.search_units(user, **filters)
        # Unfiltered, the page count comes from the cached subtree size, not a scan.
        count = None if filters else selectors.subtree_size(user)
        page, query = keyset_paginate(
            self.request,
            units,
            PAGE_SIZE,
            count=count,
            max_rows=SEARCH_MAX_ROWS if filters.get("q") else None,
        )
        return super().get_context_data(form=form, page=page, query=query, **kwargs)


class UnitDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "branches.view_unit"
    template_name = "branches/unit_detail.html"

    def get_permission_object(self):
        if not hasattr(self, "unit"):
            self.unit = get_object_or_404(
                OrgUnit.objects.select_related("region", "secretary"), pk=self.kwargs["pk"]
            )
        return self.unit

    def get_context_data(self, **kwargs):
        unit = self.get_permission_object()
        # treebeard keeps numchild, so the children need no COUNT.
        children, _query = paginate(
            self.request, selectors.children_of(unit), PAGE_SIZE, count=unit.numchild
        )
        return super().get_context_data(
            unit=unit,
            ancestors=selectors.ancestors_of(unit),
            children=children,
            roles=selectors.roles_at(unit),
            chain=selectors.approval_chain(unit) if unit.is_branch else [],
            **kwargs,
        )


class OrgImportView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Upload form (GET); validate and apply a workbook (POST). Errors re-render the page with
    the error table; success redirects back with the counts as messages."""

    permission_required = "branches.import_units"
    template_name = "branches/import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", OrgImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = OrgImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = importing.import_org_workbook(form.cleaned_data["file"], actor=request.user)
        except importing.WorkbookUnreadable as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        if not result.ok:
            return self.render_to_response(self.get_context_data(result=result))
        messages.success(request, _("导入完成。") + result.summary())
        if result.users.created:
            messages.warning(
                request,
                _("新建的 %(n)d 个用户尚未设置密码，暂时无法登录，请管理员为其设置初始密码。")
                % {"n": result.users.created},
            )
        return redirect("branches:import")


class ImportTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "branches.import_units"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            importing.build_template(), content_type=importing.XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="党组织与用户导入模板.xlsx"
        )
        return response


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
