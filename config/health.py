"""Two probes, for load balancers, orchestrators and operators.

* `/healthz` — liveness: 200 while this process can serve, i.e. the database answers, and
  nothing else is probed. The broker and the shared cache are not the process's business:
  without them pages still serve (the outbox relay sends the tasks later, figures come from
  the database), a restart would not bring them back, and probing them on every liveness
  check would make a Redis outage slow every probe. docker-compose's healthcheck uses it.
* `/readyz` — readiness of the whole installation, each dependency "ok" or "degraded" with a
  detail: database, cache, broker, worker (the reaper's heartbeat row, written every minute
  by a worker), beat (when beat last sent the reaper: django-celery-beat's `last_run_at`,
  saved every 3 minutes), media (a probe file written and deleted). 200 when all are ok,
  503 listing the degraded ones. For monitoring: a node is not taken out of service for a
  cache that is only an optimisation."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

OK, DEGRADED = "ok", "degraded"

#: Worker and beat count as running while the every-minute reaper was run (sent) within this;
#: beat saves `last_run_at` only every 3 minutes, and the reaper may wait behind long jobs.
HEARTBEAT_STALE = timedelta(minutes=10)

REAPER_TASK = "workflow.tasks.reap_stale_jobs"


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means "not healthy"; the reason is reported
        return f"error: {exc.__class__.__name__}"


def _broker():
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    from config.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # unreachable broker: report, don't raise
        return f"error: {exc.__class__.__name__}"


def _cache():
    """The shared cache is an optimisation (config/cache.py): its absence degrades speed, not
    service, so it is reported but does not make the portal unhealthy."""
    from django.core.cache import cache

    reachable = getattr(cache, "reachable", None)
    if reachable is None:
        return "local memory"
    return "ok" if reachable() else "unreachable: serving from the database"


def healthz(request):
    database = _database()
    alive = database == "ok"
    return JsonResponse(
        {"status": "ok" if alive else "degraded", "database": database},
        status=200 if alive else 503,
    )


# --- /readyz ---------------------------------------------------------------------------------


def _line(ok: bool, detail: str) -> dict:
    return {"status": OK if ok else DEGRADED, "detail": detail}


def _age(at, now) -> str:
    return f"last {int((now - at).total_seconds())} s ago"


def _worker(now) -> dict:
    if not settings.CELERY_BROKER_URL:
        return _line(True, "not configured: tasks run in the web process")
    from workflow.models import Heartbeat
    from workflow.reaper import HEARTBEAT

    beat = Heartbeat.objects.filter(name=HEARTBEAT).first()
    if beat is None:
        return _line(False, "no worker has run the reaper yet")
    return _line(now - beat.at <= HEARTBEAT_STALE, _age(beat.at, now))


def _beat(now) -> dict:
    if not settings.CELERY_BROKER_URL:
        return _line(True, "not configured: tasks run in the web process")
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.filter(task=REAPER_TASK, enabled=True).first()
    if task is None:
        return _line(False, "the reaper's schedule is missing or disabled")
    if task.last_run_at is None:
        return _line(False, "beat has not sent the reaper yet")
    return _line(now - task.last_run_at <= HEARTBEAT_STALE, _age(task.last_run_at, now))


def _media() -> dict:
    try:
        name = default_storage.save(f"readyz/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        return _line(True, "writable")
    except Exception as exc:  # read-only, full, missing: report, don't raise
        return _line(False, f"not writable: {exc.__class__.__name__}")


def _checked(fn, *args) -> dict:
    try:
        return fn(*args)
    except Exception as exc:  # e.g. the database is down under the heartbeat's query
        return _line(False, f"error: {exc.__class__.__name__}")


def readyz(request):
    now = timezone.now()
    database, broker, cache = _database(), _broker(), _cache()
    checks = {
        "database": _line(database == "ok", database),
        "cache": _line(cache in ("ok", "local memory"), cache),
        "broker": _line(broker in ("ok", "not configured"), broker),
        "worker": _checked(_worker, now),
        "beat": _checked(_beat, now),
        "media": _checked(_media),
    }
    degraded = [name for name, line in checks.items() if line["status"] != OK]
    return JsonResponse(
        {"status": DEGRADED if degraded else OK, "degraded": degraded, "checks": checks},
        status=503 if degraded else 200,
    )
