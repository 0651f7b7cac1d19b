"""Writes of the printed ledger: request one, generate it, hand it out.

The job mechanism is the bulletins' (`workflow.background`: requeue under the row lock,
progress as heartbeat within the lease, a broker that refuses the task fails the job with a
message; `workflow.reaper` fails a job whose worker died — registered in `ledger.apps`). A
generation writes the file in its own temporary directory, stores it through
`default_storage` under a new name, and only then, with the row locked, switches the row to it;
the old file is deleted after that commit. A download always gets a complete file.

Who: the roster's readers (`ledger.view_roster`: the branch's secretary, the reviewers above
it, the province, administrators) — the file holds the roster. Phones are masked in it for
everyone, so one file per branch and period serves them all. Each download is personal data
leaving the portal and is audited like the roster export."""

import logging
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import OrgUnit
from common.errors import DomainError
from common.formats import local_datetime
from workflow import background, reaper
from workflow.models import JobStatus
from workflow.services import notify, record_audit
from workflow.windows import local_today

from ..models import LedgerPrint
from . import content, document

log = logging.getLogger(__name__)

#: The temporary directory of a generation: this, the job's id, "-", a random part.
TEMP_PREFIX = "portal-ledger-print-"
#: The heartbeat: the row is touched at least this often while records are written, well
#: inside settings.JOB_LEASE_SECONDS, even when the percentage does not move.
HEARTBEAT_SECONDS = 20


class PrintError(DomainError):
    """A request that cannot be honoured; the message is shown to the user."""


def label(job: LedgerPrint) -> str:
    return _("%(branch)s%(period)s台账") % {
        "branch": job.branch.name,
        "period": content.period_label(job.period, job.start),
    }


def request_print(*, actor, branch: OrgUnit, period: str, day) -> tuple[LedgerPrint, bool]:
    """Queue the ledger of `branch` for the year or quarter holding `day`. Returns (job,
    queued): one under way is not queued twice. Audited; the task is sent on commit."""
    if not actor.has_perm("ledger.view_roster", branch):
        raise PermissionDenied
    span = content.period_span(period, day)
    if span.start > local_today():
        raise PrintError(_("不能打印尚未开始的期间的台账。"))
    with transaction.atomic():
        job, previous = background.requeue(
            LedgerPrint,
            branch=branch,
            start=span.start,
            end=span.end,
            defaults={"period": period},
        )
        if previous is None:
            return job, False
        job.period = period
        job.task_id = ""
        job.requested_at = timezone.now()
        job.requested_by = actor
        job.save()
        record_audit(
            actor=actor,
            obj=job,
            action="ledger_print_request",
            from_state=previous,
            to_state=JobStatus.QUEUED,
            comment=label(job),
            unit=branch,
        )
        transaction.on_commit(partial(_send, job.pk))
    return job, True


def _send(job_id: int):
    from .tasks import generate_ledger_print

    background.send(LedgerPrint, generate_ledger_print, job_id)


def _recipients(job: LedgerPrint):
    return [job.requested_by] if job.requested_by_id else []


def _url(job: LedgerPrint) -> str:
    return reverse("ledger:print_detail", args=[job.pk])


def job_kind() -> reaper.JobKind:
    """How the reaper fails a print whose worker died (registered in ledger.apps)."""
    return reaper.JobKind(
        model=LedgerPrint,
        temp_prefix=TEMP_PREFIX,
        recipients=_recipients,
        title=lambda job: _("%(label)s生成失败，请重新生成。") % {"label": label(job)},
        url=_url,
        audited=lambda job: (job, job.branch),
    )


class _Heartbeat:
    """Reports progress when the percentage moves or HEARTBEAT_SECONDS have passed."""

    def __init__(self, job_id: int):
        self.job_id, self.last, self.at = job_id, -1, 0.0

    def __call__(self, percent: int) -> None:
        now = time.monotonic()
        if percent != self.last or now - self.at >= HEARTBEAT_SECONDS:
            background.report_progress(LedgerPrint, self.job_id, min(percent, 99))
            self.last, self.at = percent, now


def build(job: LedgerPrint, directory: Path, progress=lambda p: None) -> tuple[Path, object]:
    """Write the job's DOCX into `directory` (in the portal's language, whoever asked)."""
    with translation.override(settings.LANGUAGE_CODE):
        branch = job.branch
        total = content.records_in(branch, job.start, job.end).count()
        path = directory / "ledger.docx"
        writer = document.write_ledger(
            path,
            directory,
            cover=content.cover(branch, job.period, job.start),
            generated=local_datetime(timezone.now()),
            roster=content.roster_rows(branch),
            records=content.record_pages(branch, job.start, job.end),
            total=total,
            progress=progress,
        )
    return path, writer


def generate(job_id: int, *, final_attempt: bool = True, transient=()) -> LedgerPrint | None:
    """Generate the file and switch the row to it (see the module docstring). Idempotent: a
    job already done is left alone. On an error the job fails — or, for a transient error
    with retries left, stays queued for the retry — and the error is raised again."""
    job = LedgerPrint.objects.select_related("branch", "requested_by").filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return job
    started = time.monotonic()
    stored = ""
    heartbeat = _Heartbeat(job_id)
    try:
        heartbeat(5)
        prefix = reaper.temp_prefix(TEMP_PREFIX, job_id)
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            path, writer = build(job, Path(tmp), heartbeat)
            heartbeat(95)
            name = (
                f"ledger/prints/{job.start:%Y}/ledger-{job.branch_id}-"
                f"{job.start:%Y%m%d}-{job.end:%Y%m%d}-{uuid.uuid4().hex[:12]}.docx"
            )
            with open(path, "rb") as fh:
                stored = default_storage.save(name, File(fh, name=Path(name).name))
        with transaction.atomic():
            locked = LedgerPrint.objects.select_for_update().get(pk=job_id)
            old = locked.docx.name
            locked.docx.name = stored
            locked.record_count, locked.photo_count = writer.records, writer.photos
            locked.status, locked.progress, locked.error = JobStatus.DONE, 100, ""
            locked.generated_at = timezone.now()
            locked.save()
            if old and old != stored:
                transaction.on_commit(partial(background.delete_files, [old]))
            notify(
                _recipients(job),
                title=_("%(label)s已生成，可下载。") % {"label": label(job)},
                url=_url(job),
            )
    except Exception as exc:
        background.delete_files([stored])
        retrying = isinstance(exc, transient) and not final_attempt
        background.failed(
            LedgerPrint,
            job_id,
            (_("生成出错，正在重试：%(e)s") if retrying else _("生成失败：%(e)s"))
            % {"e": f"{type(exc).__name__}: {exc}"[:500]},
            retrying=retrying,
        )
        log.warning("ledger print error job_id=%s retrying=%s error=%r", job_id, retrying, exc)
        if not retrying:
            try:
                notify(_recipients(job), title=job_kind().title(job), url=_url(job))
            except Exception:  # e.g. the database is what failed: keep the original error
                log.warning("ledger print failure not notified job_id=%s", job_id)
        raise
    log.info(
        "ledger print done job_id=%s records=%s photos=%s seconds=%.2f",
        job_id,
        writer.records,
        writer.photos,
        time.monotonic() - started,
    )
    return locked


def open_for_download(*, actor, job: LedgerPrint):
    """The stored file, opened, for someone who may read the branch's roster; audited as
    personal data leaving the portal (like the roster export). None when there is no file."""
    if not actor.has_perm("ledger.view_roster", job.branch):
        raise PermissionDenied
    for _attempt in range(2):
        if not job.docx.name:
            return None
        try:
            handle = default_storage.open(job.docx.name, "rb")
        except FileNotFoundError:  # replaced by a regeneration meanwhile: the row names the new
            job.refresh_from_db()
            continue
        record_audit(
            actor=actor,
            obj=job.branch,
            action="ledger_print_download",
            comment=_("下载%(label)s：%(n)d 条会议记录、在册党员名册（手机号码已隐去中间四位）。")
            % {"label": label(job), "n": job.record_count},
            unit=job.branch,
        )
        return handle
    return None
