"""Work done in a Celery task that a page follows (a model derived from
`workflow.models.BackgroundJob`): the task reports its progress, a broker that refuses the
task leaves the job queued in the outbox (`workflow.outbox`) instead of breaking the page,
files a job replaced are deleted, and a job whose worker died is recognised as stale (its
lease ran out) so it can be asked for again; `workflow.reaper` marks such jobs failed and
tells whoever asked."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from common.uploads import STORAGE_ERRORS

from .models import JobStatus

log = logging.getLogger(__name__)

#: A job still *queued* (no worker has started it: the queue is long, e.g. the monthly batch
#: behind four workers) for this long is taken as lost and may be requested again.
STALE_AFTER = timedelta(minutes=15)


def lease() -> timedelta:
    """A *running* job is alive while its task touches the row (`report_progress`, the
    heartbeat) at least this often: settings.JOB_LEASE_SECONDS. Past it the worker is taken
    as dead (SIGKILL, OOM, a lost machine): `workflow.reaper` fails the job and it may be
    requested again at once."""
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def is_stale(job, now=None) -> bool:
    """Abandoned: running but not touched within the lease, or queued for STALE_AFTER."""
    if job.updated_at is None:
        return True
    idle = (now or timezone.now()) - job.updated_at
    return idle > (lease() if job.status == JobStatus.RUNNING else STALE_AFTER)


def stale_filter(now) -> Q:
    """`is_stale` in SQL, for the in-progress rows of a job model."""
    return Q(status=JobStatus.RUNNING, updated_at__lt=now - lease()) | Q(
        status=JobStatus.QUEUED, updated_at__lt=now - STALE_AFTER
    )


def requeue(model, *, keep_done=False, **lookup):
    """Inside the request's transaction: lock (or create) the job `lookup` names and put it
    back in the queue at 0 %, unless one is under way and alive (or, with `keep_done`, it is
    done: a scheduled batch decides that under the lock, so a second run overlapping the first
    never regenerates what the first finished). Returns (job, the status it had: "" for a new
    one), or (job, None) when it is left as it is; the caller then sets its own fields, saves,
    audits and sends the task on commit."""
    job, created = model.objects.select_for_update().get_or_create(**lookup)
    if not created and job.in_progress and not is_stale(job):
        return job, None
    if not created and keep_done and job.status == JobStatus.DONE:
        return job, None
    previous = "" if created else job.status
    if not created:
        from . import outbox

        outbox.forget(model, job.pk)  # this request's own send follows
    job.status, job.progress, job.error = JobStatus.QUEUED, 0, ""
    return job, previous


def report_progress(model, pk: int, percent: int) -> None:
    """Visible at once to the page polling it (a worker runs outside any transaction)."""
    model.objects.filter(pk=pk).update(
        status=JobStatus.RUNNING, progress=percent, updated_at=timezone.now()
    )


def not_sent(model, pk: int, error: BaseException | None = None) -> None:
    """The task could not be queued (the broker is unreachable): a job still queued stays
    queued, says "已记录，稍后处理", and `workflow.outbox.relay` sends its task once the broker
    is back. Run eagerly, a generation that failed has already said why and is left as is."""
    from . import outbox

    outbox.keep(model, pk, error)


def send(model, task, pk: int) -> None:
    """Queue `task` (a job's generation) for job `pk` of `model`, as the request's transaction
    commits: a broker that refuses it leaves the job in the outbox (`not_sent`); a job model
    with a `task_id` keeps the queued task's id — unless, run eagerly, the task has already
    run and set one."""
    try:
        result = task.delay(pk)
    except Exception as exc:  # kombu raises several types; eagerly, the generation's own error
        not_sent(model, pk, exc)
        return
    has_task_id = any(f.name == "task_id" for f in model._meta.get_fields())
    if has_task_id and result.id:
        model.objects.filter(pk=pk, task_id="").update(task_id=result.id)


def failed(model, pk: int, error: str, *, retrying: bool) -> None:
    """A generation raised: back to the queue for the retry, or failed, with `error`."""
    model.objects.filter(pk=pk).update(
        status=JobStatus.QUEUED if retrying else JobStatus.FAILED,
        error=error,
        updated_at=timezone.now(),
    )


def delete_files(names) -> None:
    """Delete stored files a job no longer points at (after the switch has committed)."""
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except STORAGE_ERRORS:  # the disk's, or an S3 store's: log, never raise
                log.warning("could not delete old file %s", name, exc_info=True)
