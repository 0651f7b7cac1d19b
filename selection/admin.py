from django.contrib import admin

from .models import Proposal, SelectionRound


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    """Read-only: rounds move through selection.services (audited), never through the admin."""

    list_display = ["title", "year", "quota", "opens_on", "closes_on", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["round", "application", "unit", "committee", "score", "status"]
    list_filter = ["round", "status"]
    list_select_related = ["round", "application", "unit", "committee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
