from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from workflow import deadlines, jobs, services
from workflow.deadlines import Deadline
from workflow.models import Notification, ReminderLog

pytestmark = pytest.mark.smoke


@pytest.fixture
def window(org, monkeypatch):
    """One open window (the A1 branch stands in for any window object) due in 2.5 days."""
    state = {"due": timezone.now() + timedelta(days=2, hours=12)}

    def provider(now):
        yield Deadline(
            obj=org.a1,
            due_at=state["due"],
            recipients=(org.users["secretary"],),
            title="2026年11月 六好党支部自评",
            url="/evaluation/",
        )

    monkeypatch.setattr(deadlines, "_providers", [provider])
    monkeypatch.setattr(deadlines, "_discovered", True)
    return state


@pytest.mark.parametrize(
    "remaining,expected",
    [
        (timedelta(days=8), None),
        (timedelta(days=7), 7),
        (timedelta(days=2, hours=12), 3),
        (timedelta(hours=5), 1),
        (timedelta(0), None),
        (timedelta(days=-1), None),
    ],
)
def test_due_offset_picks_the_nearest_reached_offset(remaining, expected):
    now = timezone.now()
    assert jobs.due_offset(now, now + remaining) == expected


def test_each_reminder_is_sent_once_even_if_the_job_runs_twice(org, window):
    assert jobs.send_deadline_reminders() == 1
    assert jobs.send_deadline_reminders() == 0
    notes = Notification.objects.filter(recipient=org.users["secretary"])
    assert notes.count() == 1 and "六好党支部自评" in notes.get().title
    # Two days later the 1-day reminder is due: a new, separate reminder.
    later = timezone.now() + timedelta(days=2)
    assert jobs.send_deadline_reminders(now=later) == 1
    assert sorted(ReminderLog.objects.values_list("days_before", flat=True)) == [1, 3]


def test_a_moved_deadline_reminds_again(org, window):
    jobs.send_deadline_reminders()
    window["due"] += timedelta(days=1)  # the province extended the window
    assert jobs.send_deadline_reminders() == 1


def test_immediate_users_get_mail_at_once_reviewers_a_daily_digest(
    org, django_capture_on_commit_callbacks
):
    secretary, reviewer = org.users["secretary"], org.users["city_reviewer"]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([secretary, reviewer], title="品牌申报待审核")
        services.notify([reviewer], title="另一项待审核")
    assert [m.to for m in mail.outbox] == [[secretary.email]]
    assert jobs.send_daily_digests() == 1
    digest = mail.outbox[-1]
    assert digest.to == [reviewer.email] and "2 条" in digest.subject
    assert "另一项待审核" in digest.body
    assert jobs.send_daily_digests() == 0  # nothing twice


def test_an_explicit_preference_wins_over_the_role_default(org, django_capture_on_commit_callbacks):
    reviewer = org.users["city_reviewer"]
    reviewer.email_preference = "immediate"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([reviewer], title="即时提醒")
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_an_unreachable_broker_never_breaks_the_action_and_mail_catches_up(
    org, django_capture_on_commit_callbacks
):
    from config.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.notify([org.users["secretary"]], title="退回通知")
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
    note = Notification.objects.get()
    assert note.emailed_at is None and not mail.outbox
    assert jobs.send_pending_emails(older_than=timedelta(0)) == 1
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_for_the_retry(org, monkeypatch):
    note = Notification.objects.create(recipient=org.users["secretary"], title="x")

    def broken(**kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(jobs, "send_mail", broken)
    with pytest.raises(OSError):
        jobs.send_notification_emails([note.pk])
    note.refresh_from_db()
    assert note.emailed_at is None


def test_default_schedules_are_shipped(db):
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "workflow.tasks.send_deadline_reminders",
        "workflow.tasks.close_windows",
        "workflow.tasks.send_daily_digests",
        "workflow.tasks.send_pending_emails",
    } <= tasks
