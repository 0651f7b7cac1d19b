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
