from django.contrib import admin

from . import cache
from .models import (
    ActivityPhoto,
    Attachment,
    BrandActivity,
    BrandApplication,
    ClusterMember,
    CoverageTarget,
    MediaPublication,
    Pairing,
    PairingNote,
    Reshaping,
    ReshapingRevision,
    Revision,
    ShineRecord,
)


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    readonly_fields = ["number", "created_by", "created_at", "snapshot"]
    can_delete = False


class ReshapingRevisionInline(RevisionInline):
    model = ReshapingRevision


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    fields = readonly_fields


@admin.register(BrandApplication)
class BrandApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "status", "level", "current_level", "submitted_at"]
    list_filter = ["status", "level", "brand_type", "unit__category"]
    search_fields = ["name", "unit__name", "unit__code", "slogan"]
    list_select_related = ["unit", "current_level"]
    raw_id_fields = ["unit", "applicant", "current_level"]
    # State changes go through the workflow (audited), never through the admin form.
    # the level (省公司级品牌) is the selection round's decision (selection/), audited there
    readonly_fields = [
        "status",
        "level",
        "current_level",
        "revision_number",
        "submitted_at",
        "approved_at",
        "built_at",
    ]
    inlines = [RevisionInline, AttachmentInline]

    # Adding or deleting here bypasses the services: drop the cached counts and rates.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.everything_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        cache.everything_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.everything_changed()


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "filed_rate", "built_rate"]


class PhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0


@admin.register(BrandActivity)
class BrandActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "application", "date", "created_by"]
    search_fields = ["title", "application__name"]
    list_select_related = ["application", "created_by"]
    raw_id_fields = ["application", "created_by"]
    inlines = [PhotoInline]


@admin.register(ShineRecord)
class ShineRecordAdmin(admin.ModelAdmin):
    list_display = ["application", "period", "kind", "title"]
    list_filter = ["kind", "period"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "created_by"]


class PairingNoteInline(admin.TabularInline):
    model = PairingNote
    extra = 0
    raw_id_fields = ["created_by"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["application", "partner", "started_on"]
    list_select_related = ["application", "partner"]
    raw_id_fields = ["application", "partner", "created_by"]
    inlines = [PairingNoteInline]


@admin.register(ClusterMember)
class ClusterMemberAdmin(admin.ModelAdmin):
    """Read here; gathered and released in the portal (brands/clusters.py, audited)."""

    list_display = ["lead", "brand", "added_by", "added_at"]
    list_select_related = ["lead", "brand", "added_by"]
    raw_id_fields = ["lead", "brand", "added_by"]


@admin.register(MediaPublication)
class MediaPublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "media_level", "published_on", "application"]
    list_filter = ["media_level"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "created_by"]


@admin.register(Reshaping)
class ReshapingAdmin(admin.ModelAdmin):
    """品牌重塑, read-only: every change goes through brands/reshaping.py (locked, audited)."""

    list_display = ["name", "application", "status", "current_level", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["name", "application__name", "application__unit__name"]
    list_select_related = ["application", "current_level"]
    inlines = [ReshapingRevisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
