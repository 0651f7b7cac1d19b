"""A bulletin whose worker died (SIGKILL, OOM) does not stay "生成中 75%": past its lease the
every-minute reaper fails it, audited as the system, tells whoever asked, removes the dead
task's temporary directory, and the bulletin can be asked for again at once."""

import os
import tempfile
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus
from tests.clock import local
from workflow import background, reaper
from workflow.models import AuditEntry, Heartbeat, Notification
from workflow.tasks import TASK_OPTIONS

#: 10:00 on 10 March 2026 in Shanghai; February is the month generated.
AT = local(2026, 3, 10, 10)
MONTH = date(2026, 2, 1)


@pytest.fixture
def clock():
    with time_machine.travel(AT, tick=False) as traveller:
        yield traveller


def running(org, *, progress=75, requester=None):
    """A bulletin a worker started and then stopped touching (its worker died) at AT."""
    return Bulletin.objects.create(
        month=MONTH,
        scope=org.city_a,
        status=BulletinStatus.RUNNING,
        progress=progress,
        generated_by=requester or org.users["city_reviewer"],
    )


def test_a_job_past_its_lease_is_failed_told_audited_and_asked_for_again(
    org, clock, run_commit_hooks
):
    requester = org.users["city_reviewer"]
    stuck = running(org, requester=requester)
    # Before the lease runs out a new request is still refused (the job may be alive)…
    clock.shift(background.lease() - timedelta(seconds=1))
    assert run_commit_hooks(services.request_bulletin, scope=org.city_a, month=MONTH)[1] is False
    clock.shift(timedelta(seconds=2))

    assert run_commit_hooks(reaper.reap_stale_jobs) == 1

    stuck.refresh_from_db()
    assert stuck.status == BulletinStatus.FAILED and stuck.progress == 75
    assert stuck.error == "生成任务意外中断，请重新生成。"
    audit = AuditEntry.objects.get(action="reap_job")
    assert (audit.actor_id, audit.object_id, audit.unit_id) == (None, stuck.pk, org.city_a.pk)
    assert (audit.from_state, audit.to_state) == (BulletinStatus.RUNNING, BulletinStatus.FAILED)
    note = Notification.objects.get(recipient=requester)
    assert "生成失败，请重新生成" in note.title and note.body == stuck.error
    # …and once reaped, at once.
    again, queued = run_commit_hooks(
        services.request_bulletin, scope=org.city_a, month=MONTH, actor=requester
    )
    again.refresh_from_db()
    assert queued and again.pk == stuck.pk and again.status == BulletinStatus.DONE


def test_a_job_touched_within_its_lease_is_left_alone(org, clock):
    job = running(org)
    clock.shift(background.lease() - timedelta(seconds=5))
    background.report_progress(Bulletin, job.pk, 80)  # the heartbeat
    clock.shift(timedelta(seconds=30))
    assert reaper.reap_stale_jobs() == 0
    job.refresh_from_db()
    assert job.status == BulletinStatus.RUNNING and job.progress == 80


def test_a_job_still_queued_waits_longer_than_the_lease(org, clock):
    """Queued means no worker has started it yet (a long queue), so it has no heartbeat."""
    job = Bulletin.objects.create(month=MONTH, scope=org.city_a)
    clock.shift(background.lease() * 2)
    assert reaper.reap_stale_jobs() == 0
    clock.shift(background.STALE_AFTER)
    assert reaper.reap_stale_jobs() == 1
    assert Bulletin.objects.get(pk=job.pk).status == BulletinStatus.FAILED


def test_reaping_is_idempotent(org, clock, run_commit_hooks):
    running(org)
    clock.shift(background.lease() + timedelta(minutes=1))
    assert run_commit_hooks(reaper.reap_stale_jobs) == 1
    assert run_commit_hooks(reaper.reap_stale_jobs) == 0
    assert AuditEntry.objects.filter(action="reap_job").count() == 1
    assert Notification.objects.count() == 1


def test_the_dead_tasks_temporary_directory_is_removed(
    org, clock, run_commit_hooks, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    job = running(org)
    prefix = reaper.temp_prefix(services.TEMP_PREFIX, job.pk)
    left = tempfile.mkdtemp(prefix=prefix)  # what the killed generation left
    (tmp_path / left / "bulletin.xlsx").write_bytes(b"half")
    other = tempfile.mkdtemp(prefix=reaper.temp_prefix(services.TEMP_PREFIX, job.pk + 1000))
    clock.shift(background.lease() + timedelta(minutes=1))
    old = (AT - timedelta(minutes=1)).timestamp()
    for path in (left, other):
        os.utime(path, (old, old))
    fresh = tempfile.mkdtemp(prefix=prefix)  # a new generation of the same bulletin

    run_commit_hooks(reaper.reap_stale_jobs)

    assert not os.path.exists(left)
    assert os.path.exists(other) and os.path.exists(fresh)


def test_a_generation_uses_a_directory_named_after_the_job(world, run_commit_hooks, monkeypatch):
    seen = []
    real = tempfile.TemporaryDirectory

    def spy(*args, **kwargs):
        seen.append(kwargs.get("prefix"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", spy)
    bulletin, _queued = run_commit_hooks(
        services.request_bulletin, scope=world.org.city_a, month=date(2025, 5, 1)
    )
    assert seen == [f"portal-bulletin-{bulletin.pk}-"]


def test_the_reaper_writes_its_heartbeat_and_is_scheduled_every_minute(db, clock):
    reaper.reap_stale_jobs()
    assert Heartbeat.objects.get(name=reaper.HEARTBEAT).at == AT
    task = PeriodicTask.objects.get(task="workflow.tasks.reap_stale_jobs")
    assert (task.crontab.minute, task.crontab.hour) == ("*", "*") and task.enabled


def test_the_broker_never_redelivers_a_job_still_running():
    """acks_late: a message comes back after the visibility timeout; that must outlast the
    longest a task may run, and the lease must be shorter than both."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = TASK_OPTIONS["time_limit"]
    assert settings.CELERY_TASK_ACKS_LATE and TASK_OPTIONS["acks_late"]
    assert visibility >= 2 * longest
    assert TASK_OPTIONS["soft_time_limit"] > settings.JOB_LEASE_SECONDS
