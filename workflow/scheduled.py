"""The one wrapper every scheduled job (a beat task) runs in.

`@scheduled_task(**options)` is `shared_task` plus a record of each run in `ScheduledRun`
(started, succeeded, failed with which error, how long), which the administrators' page of
scheduled jobs shows. A failing run tells the administrators — a portal notification and a
mail to settings.ADMINS — once per outage: the first failure after a success sets
`failing_since`, retries and later failures only update the record, a success clears it.
The error is raised again, so Celery retries as the task's options say and Sentry sees it.

Who the administrators are is the org tree's business: `branches` registers them with
`register_administrators` in its AppConfig.ready, so this module imports no domain app."""

import functools
import logging
import time
import traceback
from collections.abc import Callable, Iterable

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import mail_admins
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ScheduledRun

log = logging.getLogger(__name__)


def _superusers() -> Iterable:
    return get_user_model().objects.filter(is_superuser=True, is_active=True)


_administrators: Callable[[], Iterable] = _superusers
_is_administrator: Callable[[object], bool] = lambda user: user.is_superuser  # noqa: E731


def register_administrators(users: Callable[[], Iterable], check: Callable[[object], bool]):
    """`users()`: who runs the portal (told when a scheduled job fails); `check(user)`: whether
    `user` is one of them (may see the page of scheduled jobs)."""
    global _administrators, _is_administrator
    _administrators, _is_administrator = users, check


def administrators() -> list:
    return list(_administrators())


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and _is_administrator(user))


def scheduled_task(**options):
    """Decorate a scheduled job's function: a Celery task (named after the function, as
    `shared_task` names it) whose every run is recorded and whose failures are reported."""

    def decorate(fn):
        name = f"{fn.__module__}.{fn.__name__}"

        @functools.wraps(fn)
        def run(*args, **kwargs):
            started = time.monotonic()
            _started(name)
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                _failed(name, exc, time.monotonic() - started)
                raise
            _succeeded(name, time.monotonic() - started)
            return result

        run.records_runs = True  # kept by Celery's retry wrapper (functools.wraps copies it)
        return shared_task(name=name, **options)(run)

    return decorate


def _record(name: str, **fields) -> ScheduledRun | None:
    """Update the task's record; never let the bookkeeping hide the job's own outcome (the
    database may be what is failing)."""
    try:
        run, _ = ScheduledRun.objects.update_or_create(task=name, defaults=fields)
        return run
    except Exception:
        log.warning("scheduled run not recorded task=%s", name, exc_info=True)
        return None


def _started(name: str) -> None:
    _record(name, last_started_at=timezone.now())


def _succeeded(name: str, seconds: float) -> None:
    _record(name, last_success_at=timezone.now(), last_seconds=seconds, failing_since=None)


def _failed(name: str, exc: BaseException, seconds: float) -> None:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    log.error("scheduled job failed task=%s error=%s", name, error, exc_info=exc)
    first = False
    try:
        with transaction.atomic():
            run, _ = ScheduledRun.objects.select_for_update().get_or_create(task=name)
            first = run.failing_since is None
            run.last_error, run.last_error_at, run.last_seconds = error, now, seconds
            run.failing_since = run.failing_since or now
            run.save()
    except Exception:
        log.warning("scheduled failure not recorded task=%s", name, exc_info=True)
    if first:
        _tell_administrators(name, error, exc)


def _tell_administrators(name: str, error: str, exc: BaseException) -> None:
    """A portal notification to each administrator and a mail to settings.ADMINS; neither
    may raise over the job's own error."""
    from django_celery_beat.models import PeriodicTask

    from .services import notify

    try:
        label = PeriodicTask.objects.filter(task=name).values_list("name", flat=True).first()
        title = _("定时任务失败：%(job)s") % {"job": label or name}
        body = _("首次失败于 %(at)s。错误：%(error)s") % {
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "error": error,
        }
        with transaction.atomic():
            notify(administrators(), title=title, body=body, url=reverse("ops:scheduled_jobs"))
        trace = "".join(traceback.format_exception(exc))
        mail_admins(title, f"{body}\n\n{trace}", fail_silently=True)
    except Exception:
        log.warning("scheduled failure not reported task=%s", name, exc_info=True)
