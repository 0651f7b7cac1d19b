"""A real Celery worker (subprocess) on the real Redis broker and PostgreSQL database."""

import threading
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from tests.factories import Org
from workflow import deadlines, jobs
from workflow.deadlines import Deadline
from workflow.models import Notification, ReminderLog
from workflow.tasks import send_notification_emails

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_email_job_queued_twice_sends_each_mail_once(celery_worker_queue):
    org = Org()
    users = [org.users["secretary"], org.sec_b1, org.users["member"]]
    ids = [Notification.objects.create(recipient=u, title=f"通知{u.pk}").pk for u in users]

    results = [
        send_notification_emails.apply_async(args=[ids], queue=celery_worker_queue)
        for _ in range(2)
    ]
    sent = [r.get(timeout=60) for r in results]

    assert sum(sent) == 3, sent  # each of the three mails exactly once, whoever sent it
    assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists()


def test_reminder_job_run_concurrently_reminds_once(transactional_db, postgres, monkeypatch):
    """Two runs of the reminder job at the same moment (two connections, as two workers):
    the unique (recipient, window, offset) key lets exactly one reminder through."""
    org = Org()
    due = timezone.now() + timedelta(days=1, hours=-2)

    def provider(now):
        yield Deadline(
            obj=org.a1,
            due_at=due,
            title="季度评星",
            recipients=tuple(
                org.users[r] for r in ("secretary", "city_reviewer", "general_branch_reviewer")
            ),
        )

    monkeypatch.setattr(deadlines, "_providers", [provider])
    monkeypatch.setattr(deadlines, "_discovered", True)
    barrier = threading.Barrier(4)
    counts = []

    def run():
        try:
            barrier.wait(timeout=10)
            counts.append(jobs.send_deadline_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sum(counts) == 3, counts
    assert ReminderLog.objects.count() == 3
    assert Notification.objects.filter(title__contains="季度评星").count() == 3
