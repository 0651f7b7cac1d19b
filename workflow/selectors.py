from django.contrib.contenttypes.models import ContentType
from django.utils.functional import SimpleLazyObject

from .models import AuditEntry, Notification


def unread_count(user):
    """Lazy, so pages that never show the bell never run the query."""
    return SimpleLazyObject(
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    )


def notifications_for(user):
    return Notification.objects.filter(recipient=user)


def timeline(obj):
    """The audit trail of one object, oldest first, with actors in the same query."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=obj.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )


def last_comments(objects, *, to_state: str) -> dict[int, str]:
    """{object id: comment} of the latest audit entry that moved each of `objects` (one
    model) into `to_state`, e.g. a reviewer's return comment. One query for all of them."""
    objects = list(objects)
    if not objects:
        return {}
    ct = ContentType.objects.get_for_model(objects[0])
    entries = (
        AuditEntry.objects.filter(
            content_type=ct, object_id__in=[o.pk for o in objects], to_state=to_state
        )
        .order_by("object_id", "-at", "-pk")
        .values_list("object_id", "comment")
    )
    comments: dict[int, str] = {}
    for object_id, comment in entries:
        comments.setdefault(object_id, comment)
    return comments
