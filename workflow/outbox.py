"""The outbox of background jobs: the job row is the truth, the Celery message only a nudge.

When a page queues a job (a bulletin, an export) and the broker cannot take the task (Redis
is down: the send gives up within a second, config/settings.py), the job is not failed: it
stays queued, says "已记录，稍后处理", and an `UnsentJob` row remembers that its message is
owed. `relay` (beat, every minute) sends each owed message again through the job kind's task
(`JobKind.task`) once the broker is back, and the job goes on as if it had been sent at once.

Exactly once: a relay claims an entry by deleting it under its row lock (a second relay skips
the row), sends outside the transaction, and puts the entry back if the broker still refuses.
A job that moved on meanwhile (re-requested, failed, done) is not sent again. The reaper does
not take a job waiting here for a lost one (`waiting_ids`), however long the broker is down."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import JobStatus, UnsentJob

log = logging.getLogger(__name__)

#: What the job shows while its message waits for the broker (translated where shown).
NOTE = gettext_noop("任务队列暂不可用：已记录，稍后自动处理，无需重复提交。")

#: At most this many owed messages per relay run (the next minute takes the rest).
BATCH = 500


def note() -> str:
    return _(NOTE)


def label(model) -> str:
    return model._meta.label


def keep(model, pk: int, error: BaseException | None = None) -> bool:
    """The broker refused the task of job `pk`: if the job is still queued, it says so and its
    message is owed (an `UnsentJob`); returns whether it was kept. A job that is no longer
    queued (run eagerly, its generation has already failed and said why) is left as it is."""
    reason = f"{type(error).__name__}: {error}"[:200] if error else ""
    with transaction.atomic():
        kept = model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            error=note(), updated_at=timezone.now()
        )
        if not kept:
            return False
        entry, created = UnsentJob.objects.get_or_create(
            job_model=label(model), job_id=pk, defaults={"last_error": reason}
        )
        if not created:
            UnsentJob.objects.filter(pk=entry.pk).update(
                attempts=F("attempts") + 1, last_error=reason
            )
    log.warning(
        "task not sent, kept in the outbox model=%s pk=%s error=%s", label(model), pk, reason
    )
    return True


def forget(model, pk: int) -> None:
    """Job `pk` is being queued afresh (its own send follows): nothing is owed any more."""
    UnsentJob.objects.filter(job_model=label(model), job_id=pk).delete()


def waiting_ids(model) -> list[int]:
    """The jobs of `model` whose message is still owed (not lost: the relay sends them)."""
    return list(UnsentJob.objects.filter(job_model=label(model)).values_list("job_id", flat=True))


def relay() -> int:
    """Send every owed message the broker now takes; returns how many were sent."""
    from celery import current_app

    from . import reaper

    kinds = {label(kind.model): kind for kind in reaper.kinds() if kind.task}
    sent = 0
    for entry_pk in list(UnsentJob.objects.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        entry = _claim(entry_pk)
        if entry is None:
            continue  # another relay has it
        kind = kinds.get(entry.job_model)
        if kind is None:
            log.error("outbox entry for an unknown job kind %s, dropped", entry.job_model)
            continue
        if not kind.model.objects.filter(pk=entry.job_id, status=JobStatus.QUEUED).exists():
            continue  # re-requested, done or failed meanwhile: nothing owed
        try:
            current_app.tasks[kind.task].delay(entry.job_id)
        except Exception as exc:  # kombu raises several types: still away, keep it owed
            _put_back(entry, exc)
            continue
        kind.model.objects.filter(pk=entry.job_id, status=JobStatus.QUEUED, error=note()).update(
            error="", updated_at=timezone.now()
        )
        sent += 1
    if sent:
        log.info("outbox relayed=%s", sent)
    return sent


def _claim(pk: int) -> UnsentJob | None:
    with transaction.atomic():
        entry = UnsentJob.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if entry is not None:
            UnsentJob.objects.filter(pk=pk).delete()
        return entry


def _put_back(entry: UnsentJob, error: BaseException) -> None:
    """The broker still refuses: the message stays owed, one attempt more."""
    reason = f"{type(error).__name__}: {error}"[:200]
    try:
        with transaction.atomic():
            UnsentJob.objects.create(
                job_model=entry.job_model,
                job_id=entry.job_id,
                first_failed_at=entry.first_failed_at,
                attempts=entry.attempts + 1,
                last_error=reason,
            )
    except IntegrityError:  # a new request's failed send owes it already
        pass
    log.warning(
        "outbox still not sent model=%s pk=%s error=%s", entry.job_model, entry.job_id, reason
    )
