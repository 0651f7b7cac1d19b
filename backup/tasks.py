"""The scheduled backup: a thin wrapper over services.make_backup."""

import logging

from django.conf import settings

from workflow.scheduled import scheduled_task

from . import services

log = logging.getLogger(__name__)


# No autoretry: a failed backup must show as a failed task (the administrators are told,
# workflow.scheduled), and tomorrow's run is the retry. The limits stay below the broker's
# visibility timeout (1 h), so acks_late never hands a running backup to a second worker.
@scheduled_task(acks_late=True, soft_time_limit=45 * 60, time_limit=50 * 60)
def run_backup() -> str | None:
    """Beat: daily at 02:30 (Asia/Shanghai), an hour before the 03:30 exports purge. Runs only
    where BACKUP_DIR is set (production, docker-compose); elsewhere it logs and does nothing."""
    if not settings.BACKUP_SCHEDULED:
        log.warning("scheduled backup skipped: BACKUP_DIR is not set")
        return None
    return str(services.make_backup())
