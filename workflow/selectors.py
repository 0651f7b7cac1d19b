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
