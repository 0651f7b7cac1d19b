"""The scheduled jobs' logic (the Celery tasks in tasks.py are thin wrappers over these)."""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.formats import local_datetime

from . import deadlines
from .models import Notification, ReminderLog
from .services import notify

log = logging.getLogger(__name__)


def reminder_offsets() -> list[int]:
    return sorted(getattr(settings, "REMINDER_DAYS_BEFORE", [7, 3, 1]), reverse=True)


def due_offset(now: datetime, due_at: datetime) -> int | None:
    """The largest configured offset whose moment has come (e.g. 3 when 2.5 days remain), or
    None when the deadline is further away than every offset or has passed."""
    remaining = due_at - now
    if remaining <= timedelta(0):
        return None
    reached = [d for d in reminder_offsets() if remaining <= timedelta(days=d)]
    return min(reached) if reached else None


def notify_once(users, *, obj, days_before: int, due_at, title: str, body: str = "", url=""):
    """Notify each user about `obj` at most once per (days_before, due_at): the ReminderLog
    row is inserted first, in the same transaction as the notification, so a second run or a
    second worker at the same moment hits the unique constraint and sends nothing. Returns how
    many were notified now."""
    ct = ContentType.objects.get_for_model(obj)
    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    recipient=user,
                    content_type=ct,
                    object_id=obj.pk,
                    days_before=days_before,
                    due_at=due_at,
                )
                notify([user], title=title, body=body, url=url)
            sent += 1
        except IntegrityError:
            continue  # already told (another run or worker got there first)
    return sent


def send_deadline_reminders(now: datetime | None = None) -> int:
    """Remind each responsible user N days before each open deadline, once per (user,
    window, offset)."""
    now = now or timezone.now()
    sent = 0
    for deadline in deadlines.open_deadlines(now):
        offset = due_offset(now, deadline.due_at)
        if offset is None:
            continue
        sent += notify_once(
            deadline.recipients,
            obj=deadline.obj,
            days_before=offset,
            due_at=deadline.due_at,
            title=_("截止提醒：%(title)s 将于 %(due)s 截止")
            % {"title": deadline.title, "due": deadline.shown_due},
            body=_("距截止还有不到 %(n)d 天，请及时办理。") % {"n": offset},
            url=deadline.url,
        )
    log.info("deadline reminders sent=%s", sent)
    return sent


def close_windows(now: datetime | None = None) -> int:
    """Run every app's closer: lock what is still open past its deadline. Idempotent."""
    now = now or timezone.now()
    closed = sum(closer(now) for closer in deadlines.closers())
    log.info("windows closed=%s", closed)
    return closed


def send_notification_emails(notification_ids) -> int:
    """E-mail each notification to users who want immediate mail, exactly once: a row is
    claimed (emailed_at set where still empty) before its mail goes out, so a retry or a
    second worker finds it taken; if sending fails the claim is released for the retry."""
    sent = 0
    notes = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for note in notes.select_related("recipient"):
        user = note.recipient
        if not user.email or user.wants_digest:
            continue  # digest users get it in the daily summary
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=_("[品牌建设平台] %(title)s") % {"title": note.title},
                message=f"{note.body}\n\n{note.url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
        except Exception:
            Notification.objects.filter(pk=note.pk).update(emailed_at=None)
            raise
        sent += 1
    log.info("notification emails sent=%s ids=%s", sent, list(notification_ids)[:20])
    return sent


def send_pending_emails(older_than=timedelta(minutes=10)) -> int:
    """Catch-up for immediate e-mails whose task never ran (e.g. the broker was down when the
    notification was made): nothing is lost, it goes out on the next run."""
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)[:5000]
    )
    return send_notification_emails(ids) if ids else 0


def send_daily_digests() -> int:
    """One e-mail per digest user with every notification not yet e-mailed, exactly once even
    when two runs overlap (two beats during a deploy, a manual run): each user's rows are
    claimed (emailed_at set, rows another run holds skipped) in a short transaction before the
    mail goes out, so a concurrent run finds nothing left to send; a failed send releases the
    claim, and the error is raised once every other user has had their mail, for the retry."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user = defaultdict(list)
    for note in pending:
        if note.recipient.wants_digest:
            by_user[note.recipient].append(note.pk)
    sent, failure = 0, None
    for user, ids in by_user.items():
        stamp, notes = _claim(ids)
        if not notes:
            continue  # another run has them
        lines = [f"· {local_datetime(n.created_at, '%m-%d %H:%M')} {n.title}" for n in notes]
        try:
            send_mail(
                subject=_("[品牌建设平台] 今日通知汇总（%(n)d 条）") % {"n": len(notes)},
                message="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
        except Exception as exc:
            Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at=stamp).update(
                emailed_at=None
            )
            log.warning("digest not sent user=%s error=%r", user.pk, exc)
            failure = failure or exc
            continue
        sent += 1
    log.info("digests sent=%s", sent)
    if failure is not None:
        raise failure
    return sent


def _claim(ids) -> tuple[datetime, list[Notification]]:
    """Mark the rows of `ids` still un-emailed as e-mailed now, skipping rows another run has
    locked; returns the stamp and the rows claimed (what this run alone will send)."""
    stamp = timezone.now()
    with transaction.atomic():
        notes = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=stamp)
    return stamp, notes
