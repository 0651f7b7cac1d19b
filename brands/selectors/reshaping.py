"""Reads of brand reshapings (品牌重塑): a brand's reshapings with their decisions, the one on
its way, what waits at a reviewer's levels, and what a reshaping changes (the application's
revision diff, reused)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from branches.access import review_levels
from branches.selectors import scope_filter
from workflow.models import AuditEntry

from ..models import LIVE_RESHAPING_STATUSES, Reshaping, ReshapingStatus
from ..reshaping import RESHAPING, content_of
from .applications import revision_diff

#: The decisions shown in a brand's reshaping history.
DECISIONS = ("submit", "approve", "return", "reject")


def reshaping(pk) -> Reshaping:
    return Reshaping.objects.select_related(
        "application", "application__unit", "applicant", "current_level"
    ).get(pk=pk)


def live_reshaping_for(application) -> Reshaping | None:
    """The brand's reshaping on its way (draft, in review or returned), if any."""
    return application.reshapings.filter(status__in=LIVE_RESHAPING_STATUSES).first()


def history(application) -> list[Reshaping]:
    """The brand's reshapings, newest first, each with `decisions`: its audit trail (who
    submitted, approved, returned or rejected, when, with what comment). Two queries."""
    rows = list(application.reshapings.select_related("applicant").order_by("-created_at", "-pk"))
    if not rows:  # most brands were never reshaped: no trail to build a query for
        return rows
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Reshaping),
            object_id__in=[r.pk for r in rows],
            action__in=DECISIONS,
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    by_reshaping = {}
    for entry in RESHAPING.describe(entries):
        by_reshaping.setdefault(entry.object_id, []).append(entry)
    for row in rows:
        row.decisions = by_reshaping.get(row.pk, [])
    return rows


def changes(reshaping) -> list[dict]:
    """What the reshaping changes: the brand as it was when the reshaping started (its
    revision `based_on`; the brand's current content if that revision is missing) against the
    reshaping's content, one row per element as `revision_diff` gives them."""
    app = reshaping.application
    before = app.revisions.filter(number=reshaping.based_on).first()
    old = before.snapshot if before is not None else content_of(app)
    return revision_diff(old, content_of(reshaping))


def reshaping_queue(user) -> QuerySet[Reshaping]:
    """Reshapings waiting at the levels where this user reviews, within their subtree,
    longest waiting first."""
    return (
        scope_filter(Reshaping.objects.all(), user, unit_field="application__unit")
        .filter(status=ReshapingStatus.IN_REVIEW, current_level_id__in=review_levels(user))
        .select_related("application__unit")
        .order_by("submitted_at", "pk")
    )
