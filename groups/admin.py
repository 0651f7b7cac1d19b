from django.contrib import admin

from .models import BrandGroupNomination, GroupAssessment, PioneerPost


@admin.register(PioneerPost)
class PioneerPostAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "branch", "status", "term_start", "term_end")
    list_filter = ("kind", "status")
    list_select_related = ("branch",)
    raw_id_fields = ("branch", "member", "created_by")
    search_fields = ("title",)


class ReadOnly(admin.ModelAdmin):
    """Changed only through the services (audited); the admin lists and shows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GroupAssessment)
class GroupAssessmentAdmin(ReadOnly):
    list_display = ("group", "branch", "year", "quarter", "status", "total", "vetoed")
    list_filter = ("status", "year", "quarter")
    list_select_related = ("group", "branch")


@admin.register(BrandGroupNomination)
class BrandGroupNominationAdmin(ReadOnly):
    list_display = ("group", "branch", "year", "status", "accumulated", "rank")
    list_filter = ("status", "year")
    list_select_related = ("group", "branch")
