from django.contrib import admin, messages
from django.utils.translation import gettext as _

from . import services
from .models import MeetingTemplate, Member, PartyGroup


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "leader", "leader_elected_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "branch__name", "branch__code"]
    list_select_related = ["branch", "leader"]
    raw_id_fields = ["branch", "leader"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """For corrections by administrators; secretaries keep the roster through its pages, which
    audit every change. The list shows masked phones like every other list."""

    list_display = ["name", "branch", "party_group", "status", "masked_phone", "is_active"]
    list_filter = ["status", "is_active", "education"]
    search_fields = ["name", "branch__name", "branch__code"]
    list_select_related = ["branch", "party_group"]
    raw_id_fields = ["branch", "party_group", "user"]


@admin.register(MeetingTemplate)
class MeetingTemplateAdmin(admin.ModelAdmin):
    """Saving a change publishes the next version (`services.revise_template`); the edited row
    itself stays as published. Versions are never deleted: records refer to them."""

    list_display = ["name", "kind", "frequency", "required_count", "version", "is_current", "owner"]
    list_filter = ["is_current", "kind", "frequency"]
    search_fields = ["name", "key"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["version", "is_current", "published_at", "published_by"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.append("key")
            if not obj.is_current:  # only the current version can be revised
                return [f.name for f in obj._meta.fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        if change:
            new = services.revise_template(actor=request.user, template=obj, data=data)
            messages.info(request, _("已发布新版本 v%(v)d。") % {"v": new.version})
        else:
            new = services.publish_template(
                actor=request.user, data=form.cleaned_data, key=form.cleaned_data.get("key", "")
            )
        obj.pk, obj.version = new.pk, new.version
