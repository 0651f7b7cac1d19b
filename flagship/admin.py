from django.contrib import admin

from .models import (
    Ballot,
    Candidacy,
    CandidacyAttachment,
    CandidacyRevision,
    CommitteeMember,
    CommitteeScore,
    FlagshipCycle,
    Honour,
    Objection,
    Obligation,
    Phase,
    ReviewCriterion,
    SiteVisit,
)


class CommitteeInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ["user"]


class CriterionInline(admin.TabularInline):
    """The committee's scoring table of the cycle; frozen once the review has started, so
    every member scores against the same table."""

    model = ReviewCriterion
    extra = 0

    def _editable(self, obj):
        return obj is None or obj.phase in (
            Phase.PLANNED,
            Phase.APPLICATION,
            Phase.NOTICE,
            Phase.MANAGEMENT,
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(FlagshipCycle)
class FlagshipCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year_start", "year_end", "phase", "quota", "base_share_cap"]
    list_filter = ["phase"]
    # Phases move through the audited workflow (the cycle page), never through the admin form.
    readonly_fields = [
        "phase",
        "notice_published_on",
        "notice_ends_on",
        "vote_opens_at",
        "vote_closes_at",
        "created_by",
    ]
    inlines = [CriterionInline, CommitteeInline]


class RevisionInline(admin.TabularInline):
    model = CandidacyRevision
    extra = 0
    readonly_fields = ["number", "created_by", "created_at", "snapshot"]
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = CandidacyAttachment
    extra = 0
    readonly_fields = ["kind", "original_name", "content_type", "size", "uploaded_by"]
    fields = readonly_fields


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["unit", "cycle", "status", "current_level", "is_unit", "is_base"]
    list_filter = ["cycle", "status", "is_unit", "is_base"]
    search_fields = ["unit__name", "unit__code", "brand__name"]
    list_select_related = ["unit", "cycle", "current_level"]
    raw_id_fields = ["unit", "brand", "applicant", "current_level", "veto_checked_by"]
    readonly_fields = [
        "status",
        "current_level",
        "revision_number",
        "submitted_at",
        "accepted_at",
        "is_unit",
        "unit_rank",
        "committee_score",
        "vote_count",
        "base_score",
        "is_base",
    ]
    inlines = [RevisionInline, AttachmentInline]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["candidacy", "author", "status", "created_at", "handled_by"]
    list_filter = ["status"]
    list_select_related = ["candidacy__unit", "author", "handled_by"]
    raw_id_fields = ["candidacy", "author", "handled_by"]


@admin.register(CommitteeScore)
class CommitteeScoreAdmin(admin.ModelAdmin):
    list_display = ["candidacy", "member", "total", "submitted_at"]
    list_select_related = ["candidacy__unit", "member"]
    raw_id_fields = ["candidacy", "member"]
    readonly_fields = ["total"]


@admin.register(SiteVisit)
class SiteVisitAdmin(admin.ModelAdmin):
    list_display = ["candidacy", "visited_on", "recorded_by"]
    list_select_related = ["candidacy__unit", "recorded_by"]
    raw_id_fields = ["candidacy", "recorded_by"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["cycle", "voter", "cast_at"]
    list_select_related = ["cycle", "voter"]
    raw_id_fields = ["voter"]

    def has_change_permission(self, request, obj=None):
        return False  # a cast ballot is never edited


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    raw_id_fields = ["fulfilled_by"]


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ["unit", "cycle", "kind", "certificate_no", "valid_until", "status"]
    list_filter = ["cycle", "kind", "status"]
    search_fields = ["unit__name", "certificate_no"]
    list_select_related = ["unit", "cycle"]
    raw_id_fields = ["candidacy", "unit"]
    inlines = [ObligationInline]
