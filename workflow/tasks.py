"""Celery tasks of the shared blocks: thin, idempotent, taking ids."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once: rows already e-mailed are skipped, so a retry or a second
    delivery of the same message sends nothing twice."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for note in pending:
        if not note.recipient.email:
            continue
        send_mail(
            subject=f"[品牌建设平台] {note.title}",
            message=f"{note.body}\n\n{note.url}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[note.recipient.email],
        )
        # Only this row, and only if no other worker marked it meanwhile.
        Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        sent += 1
    log.info("notification emails sent=%s ids=%s", sent, notification_ids)
    return sent
