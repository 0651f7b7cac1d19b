"""Celery tasks of the shared blocks: thin, idempotent, taking ids. The scheduled ones (beat)
run in `scheduled_task`: each run recorded, failures reported to the administrators."""

from celery import shared_task
from django.db import DatabaseError

from . import jobs, outbox, reaper
from .scheduled import scheduled_task

#: Every task of the portal: acknowledged after it ran, retried with backoff on transient
#: database or network errors, bounded in time.
TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OSError, DatabaseError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
    "soft_time_limit": 600,
    "time_limit": 660,
}


@shared_task(**TASK_OPTIONS)
def send_notification_emails(notification_ids: list[int]) -> int:
    return jobs.send_notification_emails(notification_ids)


@scheduled_task(**TASK_OPTIONS)
def send_pending_emails() -> int:
    return jobs.send_pending_emails()


@scheduled_task(**TASK_OPTIONS)
def send_deadline_reminders() -> int:
    return jobs.send_deadline_reminders()


@scheduled_task(**TASK_OPTIONS)
def close_windows() -> int:
    return jobs.close_windows()


@scheduled_task(**TASK_OPTIONS)
def send_daily_digests() -> int:
    return jobs.send_daily_digests()


@scheduled_task(**TASK_OPTIONS)
def reap_stale_jobs() -> int:
    """Beat: every minute. Fails background jobs whose worker died (workflow/reaper.py)."""
    return reaper.reap_stale_jobs()


@scheduled_task(**TASK_OPTIONS)
def relay_unsent_jobs() -> int:
    """Beat: every minute. Sends the tasks the broker refused when their jobs were requested
    (workflow/outbox.py)."""
    return outbox.relay()
