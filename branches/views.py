from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import selectors
from .forms import UnitFilterForm
from .models import OrgUnit, UnitType

PAGE_SIZE = 50


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "branches/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        counts = selectors.counts_by_type(user)
        return super().get_context_data(
            roles=user.role_assignments,
            counts=[(label, counts.get(value, 0)) for value, label in UnitType.choices],
            **kwargs,
        )


class UnitListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "branches.browse_units"
    template_name = "branches/unit_list.html"

    def get_context_data(self, **kwargs):
        form = UnitFilterForm(self.request.GET or None)
        units = selectors.search_units(self.request.user, **form.filters())
        page = Paginator(units, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form, page=page, query=query.urlencode(), **kwargs
        )


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
        children = Paginator(selectors.children_of(unit), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            unit=unit,
            ancestors=selectors.ancestors_of(unit),
            children=children,
            roles=selectors.roles_at(unit),
            chain=selectors.approval_chain(unit) if unit.is_branch else [],
            **kwargs,
        )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
