"""The Celery task of the printed ledger: a thin wrapper over `services.generate`, with the
portal's common options (acks_late, retries with backoff on transient errors, time limits)."""

from celery import shared_task

from workflow.tasks import TASK_OPTIONS

from . import services

TRANSIENT = TASK_OPTIONS["autoretry_for"]
MAX_RETRIES = TASK_OPTIONS["retry_kwargs"]["max_retries"]


@shared_task(bind=True, **TASK_OPTIONS)
def generate_ledger_print(self, job_id: int) -> dict:
    final = bool(self.request.is_eager) or self.request.retries >= MAX_RETRIES
    job = services.generate(job_id, final_attempt=final, transient=TRANSIENT)
    if job is None:
        return {"job_id": job_id, "status": "missing"}
    return {"job_id": job_id, "status": job.status, "progress": job.progress}
