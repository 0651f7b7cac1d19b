"""Background jobs whose worker died do not stay "生成中 75%" for ever.

A running job holds a lease: its task touches the row (`background.report_progress`) at least
every `background.lease()` (settings.JOB_LEASE_SECONDS). The every-minute beat task
`workflow.tasks.reap_stale_jobs` fails each job past its lease (or queued for longer than
`background.STALE_AFTER`) with a message, audited with the system as actor, tells whoever
asked, removes what the dead task left in the temporary directory, and the job can be asked
for again at once (`background.requeue` uses the same rule). Idempotent: a job is re-checked
under its row lock (skipping a row its worker holds), so a second reaper, or a worker that
touched it meanwhile, leaves it alone.

Each app declares its job models with `register(JobKind(...))` in its AppConfig.ready, so
this module never imports them."""

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import background, outbox
from .models import Heartbeat, JobStatus
from .services import SYSTEM, notify, record_audit

log = logging.getLogger(__name__)

#: The heartbeat the reaper writes on every run (read by /readyz: a worker runs beat's work).
HEARTBEAT = "reaper"


@dataclass(frozen=True)
class JobKind:
    model: type
    #: Prefix of the job's temporary directory, followed by "<pk>-" (`temp_prefix(job)`).
    temp_prefix: str
    #: Who hears that the job was interrupted.
    recipients: Callable[[object], Iterable]
    #: The notification's title (a full sentence) and link.
    title: Callable[[object], str]
    url: Callable[[object], str]
    #: The object and unit the audit record is filed under (the job, or what it belongs to).
    audited: Callable[[object], tuple]
    #: The Celery task (its name) that runs the job, given its pk: what `workflow.outbox`
    #: sends again for a job whose first send the broker refused.
    task: str = ""


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    _kinds[kind.model._meta.label] = kind


def kinds() -> list[JobKind]:
    return list(_kinds.values())


def temp_prefix(kind_prefix: str, pk: int) -> str:
    """The prefix a job's task gives its TemporaryDirectory, so leftovers are found by job."""
    return f"{kind_prefix}{pk}-"


def reap_stale_jobs(now=None) -> int:
    """Fail every job past its lease (see the module docstring); returns how many."""
    now = now or timezone.now()
    reaped = 0
    for kind in kinds():
        stale = kind.model.objects.filter(background.stale_filter(now)).values_list("pk", flat=True)
        owed = set(outbox.waiting_ids(kind.model))  # not lost: the relay sends them
        for pk in [pk for pk in stale if pk not in owed]:
            reaped += _reap(kind, pk, now)
    Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"at": timezone.now()})
    log.info("stale jobs reaped=%s", reaped)
    return reaped


def _reap(kind: JobKind, pk: int, now) -> bool:
    message = _("生成任务意外中断，请重新生成。")
    with transaction.atomic():
        job = (
            kind.model.objects.select_for_update(skip_locked=True)
            .filter(background.stale_filter(now), pk=pk)
            .first()
        )
        if job is None:  # moved on meanwhile, or its worker holds it: alive
            return False
        previous = job.status
        job.status, job.error = JobStatus.FAILED, message
        job.save(update_fields=["status", "error", "updated_at"])
        obj, unit = kind.audited(job)
        record_audit(
            actor=SYSTEM,
            obj=obj,
            action="reap_job",
            from_state=previous,
            to_state=JobStatus.FAILED,
            comment=message,
            unit=unit,
        )
        notify(kind.recipients(job), title=kind.title(job), body=message, url=kind.url(job))
        transaction.on_commit(lambda: remove_leftovers(kind, pk))
    log.warning("job reaped model=%s pk=%s was=%s", kind.model._meta.label, pk, previous)
    return True


def remove_leftovers(kind: JobKind, pk: int, directory=None) -> int:
    """Delete the temporary directories the dead task of job `pk` left (on this machine), those
    untouched within the lease (a new generation's fresh one is kept); returns how many."""
    root = Path(directory or tempfile.gettempdir())
    cutoff = time.time() - background.lease().total_seconds()
    removed = 0
    for path in root.glob(f"{temp_prefix(kind.temp_prefix, pk)}*"):
        try:
            if path.stat().st_mtime >= cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except OSError:
            log.warning("could not remove %s", path, exc_info=True)
    return removed
