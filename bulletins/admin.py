from django.contrib import admin

from .models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-only: bulletins are generated (通报导出 page or the monthly job), never typed in."""

    list_display = ("month", "scope", "status", "progress", "generated_at", "generated_by")
    list_filter = ("status", "month")
    search_fields = ("scope__name",)
    raw_id_fields = ("scope", "generated_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
