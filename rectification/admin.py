from django.contrib import admin

from .models import BrandInvitation, RectificationPlan


@admin.register(RectificationPlan)
class RectificationPlanAdmin(admin.ModelAdmin):
    """Read-only: plans change only through their workflow (services.py)."""

    list_display = ("unit", "period_name", "status", "deadline")
    list_filter = ("status",)
    search_fields = ("unit__name", "period_name")
    raw_id_fields = ("unit", "reviewing_unit", "period", "assessment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BrandInvitation)
class BrandInvitationAdmin(admin.ModelAdmin):
    list_display = ("unit", "period_name", "star", "created_at")
    search_fields = ("unit__name", "period_name")
    raw_id_fields = ("unit", "period", "assessment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
