"""Reminders before the end of a month / quarter / year for the meetings not yet held: at their
boundary instants (Asia/Shanghai), once per task and offset however often the job runs (also
two runs at the same moment on PostgreSQL), to the responsible member's account or the
secretaries, linking to the record form."""

import pytest
from django.urls import reverse

from ledger import reminders
from ledger.models import MeetingTemplate, WorkTask
from ledger.services import worklist as services
from tests.conftest import run_concurrently
from tests.factories import Org, UserFactory
from workflow.models import Notification, ReminderLog

from ..clock import local
from .conftest import Roster
from .world import held

pytestmark = pytest.mark.django_db

#: Due on 31 March at A1: 支委会, 党小组会, 主题党日 (March); 支部党员大会, 党课 (first quarter).
DUE_END_OF_MARCH = 5


@pytest.fixture(autouse=True)
def _offsets(settings):
    settings.LEDGER_REMINDER_DAYS_BEFORE = [5, 1]


@pytest.fixture
def year(org, roster):
    services.generate_work_list(org.a1, 2026)


def _send(*instant):
    return reminders.send_ledger_reminders(now=local(*instant))


def _titles(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("instant", "sent"),
    [
        ((2026, 3, 26, 23, 59, 59), 0),  # more than five days before the month's end
        ((2026, 3, 27, 0, 0, 0), DUE_END_OF_MARCH),  # five days before 1 April 00:00
    ],
)
def test_the_five_day_reminder_starts_at_its_local_midnight(org, year, instant, sent):
    assert _send(*instant) == sent


def test_each_offset_is_sent_once_whatever_the_runs(org, year):
    secretary = org.users["secretary"]
    assert _send(2026, 3, 27, 0, 0, 0) == DUE_END_OF_MARCH
    assert _send(2026, 3, 27, 9, 10, 0) == 0
    assert _send(2026, 3, 30, 23, 59, 59) == 0  # still the five-day window
    assert _send(2026, 3, 31, 0, 0, 0) == DUE_END_OF_MARCH  # one day before the end
    assert _send(2026, 3, 31, 23, 59, 59) == 0
    assert _send(2026, 4, 1, 0, 0, 0) == 0  # the month is over; April's are far away
    offsets = ReminderLog.objects.filter(recipient=secretary).values_list("days_before", flat=True)
    assert sorted(offsets) == [1] * DUE_END_OF_MARCH + [5] * DUE_END_OF_MARCH
    titles = _titles(secretary)
    assert any("支委会（3月）" in t for t in titles)
    assert any("党课（第1季度）" in t for t in titles)
    assert all("2026-03-31" in t for t in titles)


def test_a_meeting_held_is_not_reminded(org, roster, year):
    held(org.a1, "committee-meeting", local(2026, 3, 20, 9), user=org.users["secretary"])
    assert _send(2026, 3, 27, 0, 0, 0) == DUE_END_OF_MARCH - 1
    assert not any("支委会" in t for t in _titles(org.users["secretary"]))


def test_the_year_end_reminds_of_the_yearly_meetings(org, year):
    assert _send(2026, 12, 26, 23, 59, 59) == 0
    assert _send(2026, 12, 27, 0, 0, 0) > 0
    titles = _titles(org.users["secretary"])
    assert any("组织生活会（全年）" in t for t in titles)
    assert any("党课（第4季度）" in t for t in titles)


def test_the_reminder_goes_to_the_responsible_account_and_links_the_record_form(org, roster):
    services.generate_work_list(org.a1, 2026)
    wang = UserFactory(username="wang", full_name="王芳")
    roster.wang.user = wang
    roster.wang.save()
    WorkTask.objects.filter(branch=org.a1, template_key="theme-day", due_on__month=3).update(
        responsible=roster.wang
    )
    _send(2026, 3, 27, 0, 0, 0)
    [note] = Notification.objects.filter(recipient=wang)
    assert "主题党日（3月）" in note.title
    current = MeetingTemplate.objects.get(key="theme-day", is_current=True)
    assert note.url == f"{reverse('ledger:record_new', args=[org.a1.pk])}?template={current.pk}"
    assert len(_titles(org.users["secretary"])) == DUE_END_OF_MARCH - 1


def test_a_custom_task_is_reminded_until_ticked(org, roster, year):
    task = WorkTask.objects.create(
        branch=org.a1,
        year=2026,
        title="迎检",
        period_start=local(2026, 3, 1).date(),
        due_on=local(2026, 3, 28).date(),
    )
    assert _send(2026, 3, 27, 0, 0, 0) == DUE_END_OF_MARCH + 1
    note = Notification.objects.get(title__contains="迎检")
    assert note.url == reverse("ledger:task", args=[task.pk])


def test_a_branch_keeping_no_ledger_is_not_reminded(org):
    services.generate_work_list(org.a2, 2026)  # A2 has no roster
    assert _send(2026, 3, 27, 0, 0, 0) == 0


def test_the_schedules_are_shipped(db):
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"ledger.tasks.send_ledger_reminders", "ledger.tasks.generate_work_lists"} <= tasks


def test_two_concurrent_runs_send_each_reminder_once(transactional_db, postgres, settings):
    settings.LEDGER_REMINDER_DAYS_BEFORE = [5, 1]
    org = Org()
    Roster(org)
    services.generate_work_list(org.a1, 2026)
    now = local(2026, 3, 27, 9, 10)

    outcomes = run_concurrently(
        lambda: reminders.send_ledger_reminders(now=now),
        lambda: reminders.send_ledger_reminders(now=now),
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == DUE_END_OF_MARCH, outcomes
    assert Notification.objects.filter(recipient=org.users["secretary"]).count() == (
        DUE_END_OF_MARCH
    )
    assert reminders.send_ledger_reminders(now=now) == 0
