"""Writes of results exports: request one, generate it (in a Celery task; eagerly, within the
request, on the embedded default).

The generation writes the workbook to a temporary file, stores it under a new unique name and
only then, with the row locked, points the row at it; the previous file is deleted once that
has committed. A download therefore always gets a complete file: the previous one until the
new one is done."""

import logging
import tempfile
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflow import background, reaper
from workflow.models import JobStatus
from workflow.services import notify, record_audit

from .. import exports, exports_csv
from ..models import ResultsExport

log = logging.getLogger(__name__)


#: The temporary directory of a generation: this, the export's id, "-", a random part.
TEMP_PREFIX = "portal-export-"


def job_kind() -> reaper.JobKind:
    """How the reaper fails an export whose worker died (registered in apps.py)."""
    return reaper.JobKind(
        model=ResultsExport,
        temp_prefix=TEMP_PREFIX,
        recipients=lambda e: [e.requested_by],
        title=lambda e: _("“%(period)s”考评结果导出意外中断，请重新导出。") % {"period": e.period},
        url=lambda e: reverse("evaluation:export", args=[e.period_id]),
        audited=lambda e: (e.period, e.period.scope),
        task="evaluation.tasks.generate_results_export",
    )


def request_export(*, actor, period) -> tuple[ResultsExport, bool]:
    """Queue the export of `period`'s results for `actor`'s subtree. Returns (export, queued):
    an export already under way is not queued twice. The task is sent once the transaction has
    committed; if the broker cannot take it, the export stays queued in the outbox, saying so."""
    if not actor.has_perm("evaluation.export_results"):
        raise PermissionDenied
    with transaction.atomic():
        export, previous = background.requeue(ResultsExport, period=period, requested_by=actor)
        if previous is None:
            return export, False
        export.save()
        record_audit(
            actor=actor,
            obj=period,
            action="export_results",
            from_state=previous,
            to_state=JobStatus.QUEUED,
            unit=period.scope,
        )
        transaction.on_commit(partial(_send, export.pk))
    return export, True


def csv_download(*, actor, period):
    """The CSV of `period`'s results for `actor`'s subtree, as a stream of bytes for a
    streaming response (exports_csv): the same rows, columns and permission as the xlsx,
    recorded in the audit log when asked for. The labels are in the portal's language, as in
    the xlsx."""
    if not actor.has_perm("evaluation.export_results"):
        raise PermissionDenied
    with transaction.atomic():
        record_audit(actor=actor, obj=period, action="export_results_csv", unit=period.scope)
    with translation.override(settings.LANGUAGE_CODE):
        return exports_csv.results_csv(actor, period)


def _send(export_id: int):
    from ..tasks import generate_results_export

    background.send(ResultsExport, generate_results_export, export_id)


def generate(export_id: int, *, final_attempt: bool = True, transient=()) -> ResultsExport | None:
    """Write the export's file and switch the row to it (see the module docstring).
    Idempotent: an export already done is left as it is (a redelivered task). On an error
    the row is marked failed (or, for a transient error with retries left, left queued for
    the retry) and the error is raised again for the task runner."""
    export = (
        ResultsExport.objects.select_related("period", "requested_by").filter(pk=export_id).first()
    )
    if export is None or export.status == JobStatus.DONE:
        return export
    stored = ""
    try:
        background.report_progress(ResultsExport, export_id, 1)
        user, period = export.requested_by, export.period
        rows = exports.exported_assessments(user, period).count()
        # the file is in the portal's language (Chinese) whoever asked, in whichever process
        # named after the job, so the reaper finds what a killed worker left (workflow.reaper)
        prefix = reaper.temp_prefix(TEMP_PREFIX, export_id)
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            with translation.override(settings.LANGUAGE_CODE):
                out = exports.results_workbook(
                    user,
                    period,
                    progress=partial(background.report_progress, ResultsExport, export_id),
                    total=rows,
                    directory=tmp,
                )
            with out:
                name = f"exports/results-{export.period_id}-{uuid.uuid4().hex[:12]}.xlsx"
                stored = default_storage.save(name, File(out, name=name.rsplit("/", 1)[1]))
        with transaction.atomic():
            locked = ResultsExport.objects.select_for_update().get(pk=export_id)
            old = locked.file.name
            locked.file.name = stored
            locked.status, locked.progress, locked.error = JobStatus.DONE, 100, ""
            locked.rows = rows
            locked.finished_at = timezone.now()
            locked.save()
            transaction.on_commit(partial(background.delete_files, [old] if old != stored else []))
    except Exception as exc:
        background.delete_files([stored])
        retrying = isinstance(exc, transient) and not final_attempt
        background.failed(
            ResultsExport,
            export_id,
            (_("导出出错，正在重试：%(e)s") if retrying else _("导出失败：%(e)s"))
            % {"e": f"{type(exc).__name__}: {exc}"[:500]},
            retrying=retrying,
        )
        log.warning("results export error export_id=%s retrying=%s", export_id, retrying)
        raise
    notify(
        [locked.requested_by],
        title=_("“%(period)s”考评结果已导出，可下载。") % {"period": export.period},
        url=reverse("evaluation:export", args=[export.period_id]),
    )
    return locked


#: How long a finished export stays downloadable; a daily job deletes older ones (file and
#: row). Asking again makes a fresh one.
KEEP = timedelta(days=30)


def purge_expired(now=None) -> int:
    """Delete the exports finished (or failed) longer than KEEP ago, files included; returns
    how many. Exports under way are never touched."""
    cutoff = (now or timezone.now()) - KEEP
    expired = list(
        ResultsExport.objects.filter(
            status__in=(JobStatus.DONE, JobStatus.FAILED), updated_at__lt=cutoff
        ).values_list("pk", "file")
    )
    ResultsExport.objects.filter(pk__in=[pk for pk, _name in expired]).delete()
    background.delete_files([name for _pk, name in expired])
    log.info("results exports purged=%s", len(expired))
    return len(expired)
