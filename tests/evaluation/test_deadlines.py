"""Assessment periods in the scheduled jobs: reminders while the window is open, a one-time
notice when it has closed with drafts left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import Assessment
from workflow import jobs
from workflow.models import Notification

from .conftest import close, make_period

pytestmark = pytest.mark.smoke


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_secretaries_with_open_drafts_are_reminded_once(org):
    period = make_period(org, days=(-5, 2))  # closes in two days: the 3-day reminder is due
    # B1 has already submitted, so only A1's secretary is reminded.
    Assessment.objects.filter(period=period, unit=org.b1).update(status="submitted")
    assert jobs.send_deadline_reminders() == 1
    assert jobs.send_deadline_reminders() == 0
    assert any("自评填报" in t for t in titles(org.users["secretary"]))
    assert titles(org.sec_b1) == []


def test_a_closed_window_tells_the_owners_of_drafts_once(org):
    period = make_period(org, days=(-5, 2))
    close(period)
    now = timezone.now() + timedelta(minutes=1)
    assert jobs.close_windows(now) >= 1
    assert jobs.close_windows(now) == 0
    assert any("填报已截止" in t for t in titles(org.users["secretary"]))


def test_no_reminder_for_a_window_not_open_yet(org):
    make_period(org, days=(3, 10))
    assert jobs.send_deadline_reminders() == 0


def test_the_closed_window_refuses_the_draft_it_announced(org):
    period = make_period(org, days=(-5, 2))
    close(period)
    a1 = Assessment.objects.get(period=period, unit=org.a1)
    with pytest.raises(Exception, match="截止"):
        services.assessments.save_draft(actor=org.users["secretary"], pk=a1.pk, entries={})


def test_the_reminder_names_the_closing_date_not_the_midnight_after_it(org):
    period = make_period(org, days=(-5, 2))
    assert jobs.send_deadline_reminders() >= 1
    [title] = [t for t in titles(org.users["secretary"]) if "自评填报" in t]
    assert f"将于 {period.closes_on:%Y-%m-%d} 截止" in title
    assert "00:00" not in title and "23:59" not in title


def test_reminders_logged_at_23_59_59_are_not_sent_again(org):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from workflow.models import ReminderLog
    from workflow.windows import end_of_local_day

    migration = import_module("evaluation.migrations.0011_period_reminders_due_at_midnight")
    period = make_period(org, days=(-5, 2))
    secretary = org.users["secretary"]
    ReminderLog.objects.create(  # what the old job logged for the 3-day reminder
        recipient=secretary,
        content_type=ContentType.objects.get_for_model(period),
        object_id=period.pk,
        days_before=3,
        due_at=end_of_local_day(period.closes_on) - timedelta(seconds=1),
    )
    migration.forwards(apps, None)
    jobs.send_deadline_reminders()
    assert titles(secretary) == []  # the same reminder: already sent
