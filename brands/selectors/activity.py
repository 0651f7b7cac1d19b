"""Brand work as a report follows it up (the monthly bulletin): the month's events counted from
the audit trail, and what waits — returned applications and applications long in review. Each
figure is grouped per committee in the database (`branches.selectors.committee_key`), for a
subtree given by its path prefix. Which audit actions mean what stays here (`ACTIVITY`, built on
`brands.audit.Action`), so a renamed transition cannot silently count 0 elsewhere."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce, RowNumber

from branches.selectors import committee_key, committee_name
from workflow.models import AuditEntry

from ..audit import Action
from ..models import BrandApplication, Status

#: The events of brand applications counted per month, as audit actions.
ACTIVITY = {
    "first_submitted": Q(action=Action.SUBMIT, from_state=Status.DRAFT),
    "resubmitted": Q(action=Action.SUBMIT, from_state=Status.RETURNED),
    "approved": Q(action=Action.APPROVE, to_state=Status.IMPLEMENTING),
    "returned": Q(action=Action.RETURN),
    "rejected": Q(action=Action.REJECT),
    "built": Q(action=Action.PASS_ACCEPTANCE),
}


def _audit_of_applications():
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(BrandApplication)
    )


def activity_counts(scope_path: str, start: datetime, end: datetime) -> list[dict]:
    """Per committee of the subtree at `scope_path` (the province or one committee), how many
    of each `ACTIVITY` happened in [start, end), under the committee the application's branch
    belonged to *when it happened* (`AuditEntry.committee`, kept when a branch later moves): a
    past month counts the same whenever it is asked. One grouped query over the audit trail.
    Dicts with `committee_path` (the committee's path today) and one count per `ACTIVITY`."""
    return list(
        _audit_of_applications()
        .filter(at__gte=start, at__lt=end, committee__path__startswith=scope_path)
        .annotate(committee_path=F("committee__path"))
        .values("committee_path")
        .annotate(**{k: Count("pk", filter=q) for k, q in ACTIVITY.items()})
        .order_by()
    )


def backlog_counts(scope_path: str, cutoff: datetime) -> list[dict]:
    """Per committee of the subtree: `returned`, `in_review`, `overdue` (in review, submitted
    on or before `cutoff`) and `oldest` (the oldest submission still in review). One query."""
    in_review = Q(status=Status.IN_REVIEW)
    return list(
        BrandApplication.objects.filter(
            unit__path__startswith=scope_path, status__in=[Status.RETURNED, Status.IN_REVIEW]
        )
        .annotate(committee_path=committee_key("unit__path"))
        .values("committee_path")
        .annotate(
            returned=Count("pk", filter=Q(status=Status.RETURNED)),
            in_review=Count("pk", filter=in_review),
            overdue=Count("pk", filter=in_review & Q(submitted_at__lte=cutoff)),
            oldest=Min("submitted_at", filter=in_review),
        )
        .order_by()
    )


def _last_return():
    return (
        _audit_of_applications()
        .filter(object_id=OuterRef("pk"), action=Action.RETURN)
        .order_by("-at")
        .values("at")[:1]
    )


def backlog_rows(scope_path: str, cutoff: datetime, *, per_committee=None, limit=None):
    """Returned applications (waiting for the branch since the last return) and applications
    in review submitted on or before `cutoff` (waiting since the last submission), longest
    waiting first: per committee the `per_committee` longest, or the `limit` longest of the
    subtree. Streamed in chunks, as tuples (committee name, unit name, brand name, status
    label, current level name, submitted at, waiting since)."""
    since = Case(
        When(status=Status.RETURNED, then=Coalesce(Subquery(_last_return()), "updated_at")),
        default=F("submitted_at"),
    )
    longest_first = [F("since").asc(nulls_last=True), F("unit__path").asc(), F("pk").asc()]
    qs = (
        BrandApplication.objects.filter(unit__path__startswith=scope_path)
        .filter(Q(status=Status.RETURNED) | Q(status=Status.IN_REVIEW, submitted_at__lte=cutoff))
        .annotate(committee=committee_name("unit__path"), since=since)
    )
    if per_committee:
        qs = (
            qs.annotate(
                committee_path=committee_key("unit__path"),
                place=Window(
                    RowNumber(), partition_by=[committee_key("unit__path")], order_by=longest_first
                ),
            )
            .filter(place__lte=per_committee)
            .order_by("committee_path", "place")
        )
    else:
        qs = qs.order_by(*longest_first)
    qs = qs.values_list(
        "committee", "unit__name", "name", "status", "current_level__name", "submitted_at", "since"
    )
    labels = dict(Status.choices)
    rows = qs[:limit].iterator() if limit else qs.iterator(chunk_size=2000)
    for committee, unit, name, status, level, submitted_at, since_at in rows:
        yield committee, unit, name, labels.get(status, status), level, submitted_at, since_at
