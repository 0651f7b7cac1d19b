from django.contrib import admin

from .models import PioneerPost


@admin.register(PioneerPost)
class PioneerPostAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "branch", "status", "term_start", "term_end")
    list_filter = ("kind", "status")
    list_select_related = ("branch",)
    raw_id_fields = ("branch", "member", "created_by")
    search_fields = ("title",)
