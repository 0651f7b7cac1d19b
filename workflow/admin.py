from django.contrib import admin

from .models import AuditEntry, Notification
from .unread import unread_changed


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr", "from_state", "to_state", "unit"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "comment", "actor__username"]
    list_select_related = ["actor", "unit", "content_type"]
    date_hierarchy = "at"

    # The audit trail is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "emailed_at"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]

    # An edit here is a notification written outside `services`: the counts it changes
    # are recounted (workflow/unread.py), the former recipient's too.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        former = form.initial.get("recipient") if change else None
        unread_changed([pk for pk in (obj.recipient_id, former) if pk is not None])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        unread_changed([obj.recipient_id])

    def delete_queryset(self, request, queryset):
        recipients = set(queryset.values_list("recipient_id", flat=True))
        super().delete_queryset(request, queryset)
        unread_changed(recipients)
