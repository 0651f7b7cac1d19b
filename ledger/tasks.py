"""Celery tasks of the ledger: thin wrappers over services, with the portal's common options
(acks_late, retries with backoff on transient errors, time limits). Idempotent. Both are
beat jobs: they run in `scheduled_task` (each run recorded, failures told to administrators)."""

from workflow.scheduled import scheduled_task
from workflow.tasks import TASK_OPTIONS
from workflow.windows import local_today

from . import reminders
from .services import snapshots, worklist


@scheduled_task(**TASK_OPTIONS)
def generate_work_lists(year: int | None = None) -> int:
    """Beat: 00:30 on the 1st of each month (Asia/Shanghai). On 1 January it creates the
    year's work lists; later runs add what is new (a branch or a template published since)."""
    return worklist.generate_all(year or local_today().year)


@scheduled_task(**TASK_OPTIONS)
def send_ledger_reminders() -> int:
    """Beat: daily at 09:10 (Asia/Shanghai). Reminds of the work list's open tasks N days
    before the end of their month / quarter / year, exactly once (ledger/reminders.py)."""
    return reminders.send_ledger_reminders()


#: Thirteen months of 100,000 branches take 20–30 minutes (bench/README.md): more than the
#: common ten-minute limit. A retry starts over (idempotent); a new month is read only once
#: its `ComplianceRun` is written, a rerun replaces each row whole.
SNAPSHOT_LIMITS = {**TASK_OPTIONS, "soft_time_limit": 90 * 60, "time_limit": 95 * 60}


@scheduled_task(**SNAPSHOT_LIMITS)
def refresh_compliance_snapshots() -> int:
    """Beat: daily at 02:10 (Asia/Shanghai). Recounts the stored compliance rollup the area
    pages read (`services.snapshots`): this year's months and the previous month."""
    return sum(
        snapshots.refresh_compliance(month) for month in snapshots.months_to_refresh(local_today())
    )
