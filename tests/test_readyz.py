"""/readyz: each dependency ok or degraded, 200 only when all are ok, 503 listing the rest."""

from datetime import timedelta

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from config import health
from tests.clock import local
from tests.integration.test_cache_down import _free_port
from workflow.models import Heartbeat
from workflow.reaper import HEARTBEAT

pytestmark = pytest.mark.smoke

AT = local(2026, 3, 10, 10)
LINES = ["database", "cache", "broker", "worker", "beat", "media"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def closed_broker(settings):
    """A broker URL on a loopback port nothing listens on."""
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_free_port()}/0"


def readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_all_ok_on_the_embedded_default(client, db, settings, media):
    settings.CELERY_BROKER_URL = ""
    status, body = readyz(client)
    assert status == 200 and body["status"] == "ok" and body["degraded"] == []
    assert list(body["checks"]) == LINES
    assert all(line["status"] == "ok" for line in body["checks"].values())
    assert not any(media.rglob("probe-*"))  # the probe file is deleted


def test_an_unwritable_media_folder_is_degraded(client, db, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker  # even root cannot make a folder inside a file
    status, body = readyz(client)
    assert status == 503 and body["degraded"] == ["media"]
    assert body["checks"]["media"]["detail"].startswith("not writable")


def test_an_unreachable_shared_cache_is_degraded(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_free_port()}/0",
        }
    }
    status, body = readyz(client)
    assert status == 503 and body["degraded"] == ["cache"]
    assert body["checks"]["cache"]["detail"].startswith("unreachable")


def test_an_unreachable_broker_is_degraded(client, db, closed_broker):
    status, body = readyz(client)
    assert status == 503 and "broker" in body["degraded"]
    assert body["checks"]["broker"]["detail"].startswith("error")


def test_the_worker_line_follows_the_reapers_heartbeat(client, db, closed_broker):
    with time_machine.travel(AT, tick=False) as clock:
        assert readyz(client)[1]["checks"]["worker"]["status"] == "degraded"  # never ran
        Heartbeat.objects.create(name=HEARTBEAT, at=AT)
        clock.shift(timedelta(minutes=2))
        assert readyz(client)[1]["checks"]["worker"] == {
            "status": "ok",
            "detail": "last 120 s ago",
        }
        clock.shift(health.HEARTBEAT_STALE)
        _status, body = readyz(client)
    assert body["checks"]["worker"]["status"] == "degraded" and "worker" in body["degraded"]


def test_the_beat_line_follows_when_beat_last_sent_the_reaper(client, db, closed_broker):
    task = PeriodicTask.objects.get(task=health.REAPER_TASK)
    with time_machine.travel(AT, tick=False) as clock:
        assert readyz(client)[1]["checks"]["beat"]["status"] == "degraded"  # never sent
        PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=AT)
        clock.shift(timedelta(minutes=4))  # beat saves last_run_at every 3 minutes
        assert readyz(client)[1]["checks"]["beat"]["status"] == "ok"
        clock.shift(health.HEARTBEAT_STALE)
        assert readyz(client)[1]["checks"]["beat"]["status"] == "degraded"
        PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=AT, enabled=False)
        clock.shift(-health.HEARTBEAT_STALE)
        line = readyz(client)[1]["checks"]["beat"]
    assert line["status"] == "degraded" and "disabled" in line["detail"]


def test_a_database_that_does_not_answer_is_degraded(client, db, settings, monkeypatch):
    from types import SimpleNamespace

    settings.CELERY_BROKER_URL = ""

    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", SimpleNamespace(cursor=down))
    status, body = readyz(client)
    assert status == 503 and "database" in body["degraded"]
    assert body["checks"]["database"]["detail"] == "error: OSError"
