"""/healthz: database, broker and cache status as JSON, for load balancers and operators."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


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
    status = {"database": _database(), "broker": _broker(), "cache": _cache()}
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "not configured")
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **status}, status=200 if healthy else 503
    )
