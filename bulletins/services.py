"""Writes of bulletins: request one, generate it, run the monthly batch.

Atomic replacement: a generation writes both files to temporary files, stores them under new
unique names, and only then, in one transaction with the row locked, points the row at the new
names. The old files are deleted once that transaction has committed (deleting them earlier
could leave a row pointing at nothing if the transaction rolled back). A reader therefore sees
either the complete old pair or the complete new pair, never a half-written file; and two
generations of the same month never leave a file behind (each deletes what it replaced, read
under the lock)."""

import logging
import tempfile
import time
import uuid
from datetime import date
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.access import REVIEWER_ROLES, users_with_role_at
from branches.models import OrgUnit, Role
from common.errors import DomainError
from workflow import background, reaper
from workflow.services import notify, record_audit

from . import selectors
from .exports import chart, docx, tables, xlsx
from .models import Bulletin, BulletinStatus

log = logging.getLogger(__name__)


#: The temporary directory of a generation: this, the bulletin's id, "-", a random part.
TEMP_PREFIX = "portal-bulletin-"


class BulletinError(DomainError):
    """A request that cannot be honoured; the message is shown to the user."""


def request_bulletin(
    *, scope: OrgUnit, month: date, actor=None, keep_done=False
) -> tuple[Bulletin, bool]:
    """Queue the generation of `scope`'s bulletin for `month` (replacing an existing one).
    Returns (bulletin, queued): a generation already under way is not queued twice. The task
    is sent once the transaction has committed; if the broker cannot take it, the bulletin
    stays queued and says so (workflow.outbox sends it later; the page still works).
    `keep_done` (the monthly batch): a bulletin already done is left as it is."""
    month = selectors.first_of_month(month)
    if month > timezone.localdate():
        raise BulletinError(_("不能生成尚未开始的月份的通报。"))
    with transaction.atomic():
        bulletin, previous = background.requeue(
            Bulletin, keep_done=keep_done, month=month, scope=scope
        )
        if previous is None:
            return bulletin, False
        bulletin.task_id = ""
        bulletin.requested_at = timezone.now()
        bulletin.generated_by = actor
        bulletin.save()
        record_audit(
            actor=actor,
            obj=bulletin,
            action="request_bulletin",
            from_state=previous,
            to_state=BulletinStatus.QUEUED,
            unit=scope,
        )
        transaction.on_commit(partial(_send, bulletin.pk))
    return bulletin, True


def _send(bulletin_id: int):
    from .tasks import generate_bulletin

    background.send(Bulletin, generate_bulletin, bulletin_id)


def _file_names(bulletin: Bulletin) -> dict[str, str]:
    token = uuid.uuid4().hex[:12]
    base = f"bulletins/{bulletin.month:%Y-%m}/bulletin-{bulletin.month:%Y%m}-{bulletin.scope_id}"
    return {"xlsx": f"{base}-{token}.xlsx", "docx": f"{base}-{token}.docx"}


def build_files(bulletin: Bulletin, directory: Path, *, progress=lambda p: None) -> dict:
    """Compute the figures and write both files into `directory`; returns their paths. The
    files are in the portal's language (Chinese) whoever asked, and in whichever process."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_files(bulletin, directory, progress)


def _build_files(bulletin, directory, progress):
    data = selectors.collect(
        bulletin.scope, bulletin.month, generated_by=bulletin.generated_by, progress=progress
    )
    sections = tables.sections(data)
    paths = {"xlsx": directory / "bulletin.xlsx", "docx": directory / "bulletin.docx"}
    xlsx.write_xlsx(data, sections, paths["xlsx"])
    progress(75)
    png = chart.coverage_chart(data)
    progress(85)
    docx.write_docx(data, sections, png, paths["docx"])
    progress(95)
    return paths


def _recipients(bulletin: Bulletin):
    """Who hears that a bulletin is ready: whoever asked for it; for the monthly run, the
    administrators and reviewers holding a role at the scope's committee itself."""
    if bulletin.generated_by_id:
        return [bulletin.generated_by]
    return users_with_role_at(bulletin.scope_id, Role.ADMIN, *REVIEWER_ROLES)


def _tell(bulletin: Bulletin, title: str):
    notify(
        _recipients(bulletin),
        title=title % {"month": tables.month_label(bulletin.month), "scope": bulletin.scope.name},
        url=reverse("bulletins:detail", args=[bulletin.pk]),
    )


def job_kind() -> reaper.JobKind:
    """How the reaper fails a bulletin whose worker died (registered in apps.py)."""
    return reaper.JobKind(
        model=Bulletin,
        temp_prefix=TEMP_PREFIX,
        recipients=_recipients,
        title=lambda b: (
            _("%(month)s品牌建设通报（%(scope)s）生成失败，请重新生成。")
            % {"month": tables.month_label(b.month), "scope": b.scope.name}
        ),
        url=lambda b: reverse("bulletins:detail", args=[b.pk]),
        audited=lambda b: (b, b.scope),
        task="bulletins.tasks.generate_bulletin",
    )


def generate(bulletin_id: int, *, final_attempt: bool = True, transient=()) -> Bulletin | None:
    """Generate the bulletin's two files and switch the row to them atomically (see the module
    docstring). Idempotent: a bulletin already done is left as it is (a redelivered task).
    On an error the row is marked failed — or, for a transient error with retries left, left
    queued for the retry — and the error is raised again for the task runner."""
    bulletin = (
        Bulletin.objects.select_related("scope", "generated_by").filter(pk=bulletin_id).first()
    )
    if bulletin is None or bulletin.status == BulletinStatus.DONE:
        log.info(
            "bulletin skip bulletin_id=%s reason=%s",
            bulletin_id,
            "missing" if bulletin is None else "done",
        )
        return bulletin
    started = time.monotonic()
    log.info(
        "bulletin start bulletin_id=%s scope=%s month=%s",
        bulletin_id,
        bulletin.scope.code,
        f"{bulletin.month:%Y-%m}",
    )
    stored: list[str] = []
    try:
        background.report_progress(Bulletin, bulletin_id, 5)
        # named after the job, so the reaper finds what a killed worker left (workflow.reaper)
        prefix = reaper.temp_prefix(TEMP_PREFIX, bulletin_id)
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            paths = build_files(
                bulletin,
                Path(tmp),
                progress=partial(background.report_progress, Bulletin, bulletin_id),
            )
            for kind, name in _file_names(bulletin).items():
                with open(paths[kind], "rb") as fh:
                    stored.append(default_storage.save(name, File(fh, name=Path(name).name)))
        with transaction.atomic():
            locked = Bulletin.objects.select_for_update().get(pk=bulletin_id)
            old = [locked.xlsx.name, locked.docx.name]
            locked.xlsx.name, locked.docx.name = stored
            locked.status = BulletinStatus.DONE
            locked.progress = 100
            locked.error = ""
            locked.generated_at = timezone.now()
            locked.save()
            transaction.on_commit(
                partial(background.delete_files, [n for n in old if n not in stored])
            )
            _tell(locked, _("%(month)s品牌建设通报（%(scope)s）已生成，可下载。"))
    except Exception as exc:
        background.delete_files(stored)
        retrying = isinstance(exc, transient) and not final_attempt
        background.failed(
            Bulletin,
            bulletin_id,
            (_("生成出错，正在重试：%(e)s") if retrying else _("生成失败：%(e)s"))
            % {"e": f"{type(exc).__name__}: {exc}"[:500]},
            retrying=retrying,
        )
        log.warning(
            "bulletin error bulletin_id=%s retrying=%s error=%r", bulletin_id, retrying, exc
        )
        if not retrying:
            try:
                _tell(bulletin, _("%(month)s品牌建设通报（%(scope)s）生成失败，请重新生成。"))
            except Exception:  # e.g. the database is what failed: keep the original error
                log.warning("bulletin failure not notified bulletin_id=%s", bulletin_id)
        raise
    log.info(
        "bulletin done bulletin_id=%s scope=%s month=%s seconds=%.2f files=%s",
        bulletin_id,
        bulletin.scope.code,
        f"{bulletin.month:%Y-%m}",
        time.monotonic() - started,
        ",".join(stored),
    )
    return locked


def generate_monthly(month: date | None = None) -> int:
    """The monthly batch (1st of the month, for the month just ended): the province's bulletin
    and one per city / directly-affiliated committee. Idempotent: a scope whose bulletin of
    that month is done is left alone, checked again under the row lock, so a second run
    overlapping the first regenerates nothing (one under way is not queued twice either).
    Returns how many were queued."""
    month = selectors.first_of_month(month) if month else selectors.previous_month()
    done = set(
        Bulletin.objects.filter(month=month, status=BulletinStatus.DONE).values_list(
            "scope_id", flat=True
        )
    )
    queued = 0
    for scope in selectors.bulletin_scopes():
        if scope.pk in done:
            continue
        _bulletin, sent = request_bulletin(scope=scope, month=month, keep_done=True)
        queued += sent
    log.info("monthly bulletins month=%s queued=%s", f"{month:%Y-%m}", queued)
    return queued
