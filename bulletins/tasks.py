"""Celery tasks of the bulletins: thin wrappers over services, taking ids, with the portal's
common options (acks_late, retries with backoff on transient errors, time limits)."""

from datetime import date

from celery import shared_task

from workflow.scheduled import scheduled_task
from workflow.tasks import TASK_OPTIONS

from . import services

TRANSIENT = TASK_OPTIONS["autoretry_for"]
MAX_RETRIES = TASK_OPTIONS["retry_kwargs"]["max_retries"]


@shared_task(bind=True, **TASK_OPTIONS)
def generate_bulletin(self, bulletin_id: int) -> dict:
    # Run eagerly (no broker), a retry cannot happen: Celery re-raises instead of re-running.
    final = bool(self.request.is_eager) or self.request.retries >= MAX_RETRIES
    bulletin = services.generate(bulletin_id, final_attempt=final, transient=TRANSIENT)
    if bulletin is None:
        return {"bulletin_id": bulletin_id, "status": "missing"}
    return {"bulletin_id": bulletin_id, "status": bulletin.status, "progress": bulletin.progress}


@scheduled_task(**TASK_OPTIONS)
def generate_monthly_bulletins(month: str | None = None) -> int:
    """Beat: 08:00 on the 1st (Asia/Shanghai), for the month just ended. `month` ('2025-05')
    regenerates a given month by hand."""
    return services.generate_monthly(date.fromisoformat(f"{month}-01") if month else None)
