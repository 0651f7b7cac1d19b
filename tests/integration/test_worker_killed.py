"""A real Celery worker is SIGKILLed in the middle of a bulletin: within a few minutes the
bulletin is visibly failed ("生成任务意外中断"), whoever asked is told, the dead task's
temporary directory is gone, and a new request is accepted at once and done by a worker.

The broker is a throwaway redis-server on a free port, the database the test's private
PostgreSQL database; the worker runs `-P solo` so the SIGKILL hits the process doing the work.
The lease is a few seconds here (settings in the test, and the reaper called as beat calls it
every minute), so the test waits seconds, not minutes; production holds 180 s."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bulletins import selectors as bulletin_selectors
from bulletins import services
from bulletins.models import Bulletin
from workflow import reaper
from workflow.models import AuditEntry, JobStatus, Notification

ROOT = Path(__file__).resolve().parents[2]
LEASE = 3  # seconds

#: The worker, with the bulletin's build slowed to a minute (standing in for a large month)
#: when SLOW_BUILD is set: it reports 50 %, writes a partial file into its temporary
#: directory, and sleeps until it is killed.
WORKER = """
import os, sys, time, django
django.setup()
if os.environ.get("SLOW_BUILD"):
    from bulletins import services
    def slow_build(bulletin, directory, *, progress=lambda p: None):
        progress(50)
        (directory / "partial.xlsx").write_bytes(b"half a bulletin")
        time.sleep(60)
    services.build_files = slow_build
from config.celery import app
app.worker_main(["worker", "-P", "solo", "--without-mingle", "--without-gossip",
                 "--without-heartbeat", "-l", "INFO"])
"""

pytestmark = pytest.mark.services


def start_worker(broker_url: str, media: Path, tmp: Path, *, slow: bool) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MEDIA_ROOT": str(media),
        "TMPDIR": str(tmp),  # the task's temporary directories, where the test can see them
        "EMAIL_URL": "consolemail://",
        "PYTHONPATH": str(ROOT),
    }
    if password := db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace("@", f":{password}@", 1)
    env.pop("SLOW_BUILD", None)
    if slow:
        env["SLOW_BUILD"] = "1"
    return subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp.parent / "worker.log", "ab"),  # noqa: SIM115 - the worker's to close
    )


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stop(proc: subprocess.Popen):
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def test_a_bulletin_whose_worker_is_killed_fails_visibly_and_can_be_asked_again(
    transactional_db, postgres, org, broker, settings, tmp_path, monkeypatch
):
    settings.JOB_LEASE_SECONDS = LEASE
    settings.MEDIA_ROOT = tmp_path / "media"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))  # where the reaper looks for leftovers
    actor = org.users["admin"]
    month = bulletin_selectors.previous_month()

    worker = start_worker(broker.url, settings.MEDIA_ROOT, tmp, slow=True)
    try:
        bulletin, queued = services.request_bulletin(scope=org.province, month=month, actor=actor)
        assert queued
        wait_for(
            lambda: Bulletin.objects.filter(pk=bulletin.pk, progress=50).exists(),
            40,
            "the worker to be half-way",
        )
        leftovers = wait_for(lambda: list(tmp.glob("portal-bulletin-*")), 10, "its temp dir")
        killed_at = time.monotonic()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop(worker)

    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.progress) == (JobStatus.RUNNING, 50)  # as it was left
    assert services.request_bulletin(scope=org.province, month=month, actor=actor)[1] is False

    # Beat runs the reaper every minute; here it is called until the short lease runs out.
    def reaped():
        reaper.reap_stale_jobs()
        return Bulletin.objects.filter(pk=bulletin.pk, status=JobStatus.FAILED).exists()

    wait_for(reaped, 30, "the reaper to fail the job")
    seconds = time.monotonic() - killed_at
    bulletin.refresh_from_db()
    assert "意外中断" in bulletin.error
    assert Notification.objects.filter(recipient=actor, title__contains="生成失败").exists()
    assert AuditEntry.objects.filter(action="reap_job", object_id=bulletin.pk).exists()
    assert not any(path.exists() for path in leftovers)  # the temp files are cleaned
    assert seconds < 3 * 60

    # Asked for again at once, and a healthy worker finishes it.
    worker = start_worker(broker.url, settings.MEDIA_ROOT, tmp, slow=False)
    try:
        again, queued = services.request_bulletin(scope=org.province, month=month, actor=actor)
        assert queued and again.pk == bulletin.pk
        wait_for(
            lambda: Bulletin.objects.filter(pk=bulletin.pk, status=JobStatus.DONE).exists(),
            45,
            "the new request to be done",
        )
    finally:
        stop(worker)
    assert not list(tmp.glob("portal-bulletin-*"))
