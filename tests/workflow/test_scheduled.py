"""The one wrapper of scheduled jobs: each run recorded (last run, last success, last error),
a failure told to the administrators (portal notification + mail to ADMINS) once per outage;
the administrators' page listing them; unhandled request errors mailed to ADMINS; Sentry
started only when SENTRY_DSN is set, and only if its SDK is installed."""

import sys

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from tests.clock import local
from tests.permissions import assert_permission_matrix
from workflow import jobs, scheduled
from workflow.models import Notification, ScheduledRun
from workflow.tasks import send_daily_digests

AT = local(2026, 3, 10, 18)
DIGEST = "workflow.tasks.send_daily_digests"


@pytest.fixture(autouse=True)
def admins(settings):
    settings.ADMINS = [("运维", "ops@example.org")]


def test_a_successful_run_is_recorded(org):
    with time_machine.travel(AT, tick=False):
        send_daily_digests()
    run = ScheduledRun.objects.get(task=DIGEST)
    assert run.last_started_at == AT and run.last_success_at == AT
    assert run.last_error == "" and run.failing_since is None


def test_a_failing_job_tells_the_administrators_once_per_outage(org, monkeypatch):
    def broken():
        raise ConnectionRefusedError("SMTP refused")

    monkeypatch.setattr(jobs, "send_daily_digests", broken)
    for _attempt in range(3):  # e.g. the retries, then the next day's run
        with pytest.raises(ConnectionRefusedError):
            send_daily_digests()

    run = ScheduledRun.objects.get(task=DIGEST)
    assert "SMTP refused" in run.last_error and run.failing_since is not None
    told = Notification.objects.filter(recipient=org.users["admin"])
    assert told.count() == 1  # once, not at every retry
    assert "通知邮件每日汇总" in told.get().title  # the schedule's name
    assert [m.to for m in mail.outbox] == [["ops@example.org"]]
    assert "SMTP refused" in mail.outbox[0].body
    assert not Notification.objects.filter(recipient=org.users["secretary"]).exists()

    monkeypatch.undo()
    send_daily_digests()  # recovers: the outage is over
    assert ScheduledRun.objects.get(task=DIGEST).failing_since is None
    monkeypatch.setattr(jobs, "send_daily_digests", broken)
    with pytest.raises(ConnectionRefusedError):
        send_daily_digests()  # a new outage is told again
    assert told.count() == 2


def test_the_beat_jobs_all_run_in_the_wrapper(db):
    """Every shipped schedule's task is a scheduled_task (recorded and reported)."""
    import importlib

    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {DIGEST, "backup.tasks.run_backup", "evaluation.tasks.purge_results_exports"} <= names
    unwrapped = []
    for name in sorted(names):
        module, attr = name.rsplit(".", 1)
        if not getattr(getattr(importlib.import_module(module), attr).run, "records_runs", False):
            unwrapped.append(name)
    assert unwrapped == []


def scheduled_page(target):
    return reverse("ops:scheduled_jobs")


def test_only_administrators_see_the_page_of_scheduled_jobs(client, org):
    denied = dict.fromkeys(("member", "secretary", "general_branch_reviewer"), 403)
    denied |= dict.fromkeys(("city_reviewer", "province_reviewer", "committee_member"), 403)
    assert_permission_matrix(
        client, org, scheduled_page, {"anonymous": 302, "admin": 200, **denied}
    )


def test_the_page_lists_each_job_with_its_last_run_in_two_queries(
    client, org, django_assert_max_num_queries
):
    with time_machine.travel(AT, tick=False):
        send_daily_digests()
    ScheduledRun.objects.create(
        task="workflow.tasks.close_windows", last_error="boom", last_error_at=AT
    )
    client.force_login(org.users["admin"])
    with django_assert_max_num_queries(6):  # session, user, roles, bell + the 2 reads
        response = client.get(reverse("ops:scheduled_jobs"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in PeriodicTask.objects.values_list("name", flat=True):
        assert name in html
    assert "2026-03-10 18:00:00" in html  # the digest's last run and success, Shanghai time
    assert "boom" in html


def test_more_schedules_cost_no_more_queries(client, org, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.users["admin"])
    client.get(reverse("ops:scheduled_jobs"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("ops:scheduled_jobs"))
    crontab = PeriodicTask.objects.filter(crontab__isnull=False).first().crontab
    for i in range(10):
        PeriodicTask.objects.create(name=f"额外任务{i}", task=f"x.y{i}", crontab=crontab)
        ScheduledRun.objects.create(task=f"x.y{i}")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("ops:scheduled_jobs"))
    assert len(after) == len(before)


def test_an_unhandled_request_error_is_mailed_to_admins(org, settings, monkeypatch):
    from workflow import ops_views

    settings.DEBUG = False

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(ops_views.selectors, "scheduled_jobs", broken)
    client = Client(raise_request_exception=False)
    client.force_login(org.users["admin"])
    assert client.get(reverse("ops:scheduled_jobs")).status_code == 500
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@example.org"]
    assert "RuntimeError" in mail.outbox[0].body


def test_sentry_starts_only_with_its_sdk(monkeypatch):
    from config import errors

    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # not installed
    assert errors.init_sentry("https://k@sentry.invalid/1", environment="test") is False


def test_sentry_is_started_with_django_and_celery_and_no_personal_data(monkeypatch):
    pytest.importorskip("sentry_sdk")
    import sentry_sdk

    from config import errors

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: seen.update(kw))
    assert errors.init_sentry("https://k@sentry.invalid/1", environment="test") is True
    assert seen["dsn"] == "https://k@sentry.invalid/1" and seen["send_default_pii"] is False
    kinds = {type(i).__name__ for i in seen["integrations"]}
    assert kinds == {"DjangoIntegration", "CeleryIntegration"}


def test_the_administrators_are_the_admin_role_and_superusers(org):
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    assert {u.pk for u in scheduled.administrators()} == {org.users["admin"].pk, root.pk}
