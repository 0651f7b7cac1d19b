"""Writes of the shared building blocks: audit records and notifications."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry, Notification
from .unread import unread_changed

log = logging.getLogger(__name__)


class _System:
    """The actor of scheduled changes (the reaper failing a dead job, a window closing by
    date): allowed every declared step, recorded in the audit trail as "系统" (no user)."""

    pk = None
    is_active = False
    is_authenticated = False

    def has_perm(self, perm, obj=None):
        return True

    def __str__(self):
        return _("系统")


SYSTEM = _System()


def object_label(obj) -> str:
    """The name the audit trail stores for `obj`: plain text, at most 200 characters. It calls
    `__str__` and coerces what comes back, because a `__str__` returning a lazy translation
    makes `str(obj)` itself raise TypeError, and no write may fail on how its object is named."""
    return str(obj.__str__())[:200]


def record_audit(*, actor, obj, action, from_state="", to_state="", comment="", unit=None):
    """Record one domain event on `obj`. Call inside the transaction that made the change."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=object_label(obj),
        unit=unit if unit is not None else getattr(obj, "unit", None),
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


@dataclass(frozen=True)
class Message:
    """One notification to send: its recipients (users; None and inactive ones are skipped),
    title, body and link."""

    recipients: Iterable
    title: str
    body: str = ""
    url: str = ""


def notify_all(messages: Iterable[Message]):
    """Create the in-app notifications (the bell) of several messages in one INSERT (e.g. a
    decision tells the next level's reviewers and the applicant) and, once the transaction
    commits, e-mail them through one Celery task. Within a message, duplicate recipients are
    notified once."""
    from .tasks import send_notification_emails

    rows = []
    for m in messages:
        unique = {u.pk: u for u in m.recipients if u is not None and u.is_active}
        rows += [
            Notification(recipient=u, title=m.title[:200], body=m.body, url=m.url)
            for u in unique.values()
        ]
    rows = Notification.objects.bulk_create(rows)
    unread_changed(n.recipient_id for n in rows)
    ids = [n.pk for n in rows]
    if ids:
        transaction.on_commit(lambda: enqueue(send_notification_emails, ids))
    return rows


def notify(recipients: Iterable, *, title: str, body: str = "", url: str = ""):
    """Create in-app notifications (the bell) and, once the transaction commits, e-mail them
    through a Celery task. Duplicate recipients are notified once."""
    return notify_all([Message(recipients, title, body, url)])


def enqueue(task, *args):
    """Queue a task without letting an unreachable broker break the page that caused it: the
    failure is logged and the periodic catch-up job (send_pending_emails) delivers later."""
    try:
        return task.delay(*args)
    except Exception:  # kombu raises several types; any of them must not reach the user
        log.warning("could not queue %s; the catch-up job will retry", task.name, exc_info=True)
        return None


def mark_read(user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    unread_changed([user.pk])  # even when none was left: a count cached before, redone
    return qs.update(read_at=timezone.now())
