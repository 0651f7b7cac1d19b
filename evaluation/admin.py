"""Administrators edit scoring tables here. A published version is read-only (its rows too);
"copy as new version" makes an editable draft, "publish" freezes it. Tables can be exported
to and imported from xlsx (an import always creates a new draft version)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import table_xlsx
from .forms import TableImportForm
from .models import (
    Assessment,
    AssessmentPeriod,
    Dimension,
    DimensionWeight,
    Indicator,
    PeriodPublication,
    ScoringTable,
    TableVersion,
)
from .selectors.tables import version_with_rows, weights_by_version
from .services import tables as services


class ForAdministrators(admin.ModelAdmin):
    """Open to the portal's administrators (Role.ADMIN, staff) without Django model perms;
    rows of a published version are view-only."""

    def _allowed(self, request):
        return request.user.has_perm("evaluation.manage_tables")

    def frozen(self, obj) -> bool:
        return False

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and not (obj is not None and self.frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and not (obj is not None and self.frozen(obj))


class FrozenInline:
    def _allowed(self, request):
        return request.user.has_perm("evaluation.manage_tables")

    def _frozen(self, obj):
        version = obj if isinstance(obj, TableVersion) else getattr(obj, "version", None)
        return version is not None and version.is_published

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and not self._frozen(obj)


class VersionInline(admin.TabularInline):
    model = TableVersion
    extra = 0
    fields = ["number", "status", "note", "published_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("evaluation.manage_tables")


@admin.register(ScoringTable)
class ScoringTableAdmin(ForAdministrators):
    list_display = ["name", "code", "subject", "sort_order"]
    search_fields = ["name", "code"]
    inlines = [VersionInline]
    change_list_template = "evaluation/admin/scoringtable_change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="evaluation_scoringtable_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self._allowed(request):
            raise PermissionDenied
        form = TableImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                version = services.import_table(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request, _("已导入为 %(v)s（草稿），核对后请发布。") % {"v": version}
                )
                return redirect("admin:evaluation_tableversion_change", version.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入评价表"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "evaluation/admin/import.html", context)


class DimensionInline(FrozenInline, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["sort_order", "code", "name", "description"]
    show_change_link = True


@admin.register(TableVersion)
class TableVersionAdmin(ForAdministrators):
    list_display = ["__str__", "status", "note", "published_at", "export_link"]
    list_filter = ["status", "table"]
    list_select_related = ["table"]
    readonly_fields = ["status", "published_at", "published_by", "based_on"]
    fields = [
        "table",
        "number",
        "note",
        "allow_negative",
        "max_star_rise",
        "bonus_cap",
        "star2_rate",
        "star3_rate",
        "star4_rate",
        "star5_rate",
        *readonly_fields,
    ]
    inlines = [DimensionInline]
    actions = ["publish", "copy_as_new_version"]

    def frozen(self, obj):
        return obj.is_published

    @admin.display(description=_lazy("导出"))
    def export_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:evaluation_tableversion_export", args=[obj.pk]),
            _("导出 Excel"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/export.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="evaluation_tableversion_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        if not self._allowed(request):
            raise PermissionDenied
        version, groups = version_with_rows(pk)
        return FileResponse(
            table_xlsx.write_version(version, groups, weights_by_version(version.pk)),
            as_attachment=True,
            filename=f"{version.table.name}-v{version.number}.xlsx",
        )

    @admin.action(description=_lazy("发布所选草稿版本（发布后不可修改）"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.publish_version(actor=request.user, pk=version.pk)
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(v)s：%(e)s") % {"v": version, "e": _("；").join(exc.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("%(v)s 已发布。") % {"v": version})

    @admin.action(description=_lazy("复制为新的草稿版本"))
    def copy_as_new_version(self, request, queryset):
        for version in queryset:
            new = services.new_version(actor=request.user, pk=version.pk)
            self.message_user(request, _("已创建 %(v)s（草稿）。") % {"v": new})


class IndicatorInline(FrozenInline, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "sort_order",
        "code",
        "name",
        "kind",
        "max_points",
        "category",
        "online_rule",
        "description",
        "method",
    ]


class DimensionWeightInline(FrozenInline, admin.TabularInline):
    """分类权重: the dimension's weight for one branch category (none: 1)."""

    model = DimensionWeight
    extra = 0
    fields = ["category", "weight"]


@admin.register(Dimension)
class DimensionAdmin(ForAdministrators):
    list_display = ["name", "code", "version", "sort_order"]
    list_filter = ["version__table"]
    list_select_related = ["version__table"]
    inlines = [DimensionWeightInline, IndicatorInline]

    def frozen(self, obj):
        return obj.version.is_published


@admin.register(Indicator)
class IndicatorAdmin(ForAdministrators):
    list_display = ["name", "code", "kind", "max_points", "category", "online_rule", "dimension"]
    list_filter = ["kind", "category", "online_rule", "dimension__version__table"]
    list_select_related = ["dimension__version__table"]
    search_fields = ["name", "code"]

    def frozen(self, obj):
        return obj.dimension.version.is_published


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(ForAdministrators):
    list_display = [
        "name",
        "kind",
        "table_version",
        "scope",
        "opens_on",
        "closes_on",
        "is_aggregate",
    ]
    list_filter = ["kind", "is_aggregate"]
    list_select_related = ["table_version__table", "scope"]
    raw_id_fields = ["scope", "created_by"]
    filter_horizontal = ["sources"]


@admin.register(Assessment)
class AssessmentAdmin(ForAdministrators):
    """Read-only: scores change through the audited services, never through this form."""

    list_display = ["unit", "period", "status", "total", "star", "rank_province"]
    list_filter = ["status", "category", "period__kind"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodPublication)
class PeriodPublicationAdmin(AssessmentAdmin):
    list_display = ["period", "unit", "count", "published_by", "published_at"]
    list_filter = []
    search_fields = ["unit__name"]
    list_select_related = ["period", "unit", "published_by"]
