"""/healthz: database and broker status as JSON, for load balancers and operators."""

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


def healthz(request):
    status = {"database": _database(), "broker": _broker()}
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "not configured")
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **status}, status=200 if healthy else 503
    )
