"""Celery tasks of evaluation: thin wrappers over services, taking ids, with the portal's
common options (acks_late, retries with backoff on transient errors, time limits)."""

from celery import shared_task

from workflow.scheduled import scheduled_task
from workflow.tasks import TASK_OPTIONS

from .services import exports, schedules

TRANSIENT = TASK_OPTIONS["autoretry_for"]
MAX_RETRIES = TASK_OPTIONS["retry_kwargs"]["max_retries"]


@shared_task(bind=True, **TASK_OPTIONS)
def generate_results_export(self, export_id: int) -> dict:
    # Run eagerly (no broker), a retry cannot happen: Celery re-raises instead of re-running.
    final = bool(self.request.is_eager) or self.request.retries >= MAX_RETRIES
    export = exports.generate(export_id, final_attempt=final, transient=TRANSIENT)
    if export is None:
        return {"export_id": export_id, "status": "missing"}
    return {"export_id": export_id, "status": export.status, "rows": export.rows}


@scheduled_task(**TASK_OPTIONS)
def purge_results_exports() -> int:
    """Beat: daily at 03:30 (Asia/Shanghai), exports finished more than 30 days ago."""
    return exports.purge_expired()


@scheduled_task(**TASK_OPTIONS)
def run_schedules() -> int:
    """Beat: hourly at :05 (Asia/Shanghai). Creates the periods the schedules have brought due
    (idempotent: a period that exists is never created again)."""
    return schedules.run_schedules()
