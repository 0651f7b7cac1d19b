from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import SimpleLazyObject

from .models import AuditEntry, Notification, ScheduledRun
from .unread import cached_count


def unread_count(user):
    """Lazy, so pages that never show the bell never run the query; cached per user where
    the cache is shared (`workflow.unread`)."""
    return SimpleLazyObject(
        lambda: cached_count(
            user.pk,
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        )
    )


def notifications_for(user):
    return Notification.objects.filter(recipient=user)


def timeline(obj):
    """The audit trail of one object, oldest first, with actors in the same query."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=obj.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )


def _moves_into(model, object_ids, to_state: str):
    """The audit entries that moved objects of `model` into `to_state`, each object's latest
    first: the one rule by which the dashboard (`last_comments`) and a returned object's edit
    form (`last_move_into`) find the reviewer's return and its comment."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=object_ids,
        to_state=to_state,
    ).order_by("object_id", "-at", "-pk")


def last_comments(objects, *, to_state: str) -> dict[int, str]:
    """{object id: comment} of the latest audit entry that moved each of `objects` (one
    model) into `to_state`, e.g. a reviewer's return comment. One query for all of them."""
    objects = list(objects)
    if not objects:
        return {}
    entries = _moves_into(type(objects[0]), [o.pk for o in objects], to_state).values_list(
        "object_id", "comment"
    )
    comments: dict[int, str] = {}
    for object_id, comment in entries:
        comments.setdefault(object_id, comment)
    return comments


def last_move_into(obj, *, to_state: str) -> AuditEntry | None:
    """The latest audit entry that moved `obj` into `to_state`, with its actor: who returned
    it, when and why, for the edit form of a returned object. None while `obj` is not in
    `to_state` (a draft, or a returned object that moved on), so a page shows no stale
    comment; one query otherwise."""
    if getattr(obj, "status", None) != to_state:
        return None
    return _moves_into(type(obj), [obj.pk], to_state).select_related("actor").first()


@dataclass(frozen=True)
class ScheduledJob:
    """One beat schedule with how its task last went (`ScheduledRun`, or None: never run)."""

    name: str
    task: str
    schedule: str
    enabled: bool
    run: ScheduledRun | None

    @property
    def failing(self) -> bool:
        return self.run is not None and self.run.failing_since is not None


def scheduled_jobs() -> list[ScheduledJob]:
    """Every beat schedule (django-celery-beat) with its task's last run, last success and
    last error, in name order. Two queries, whatever the number of schedules."""
    from django_celery_beat.models import PeriodicTask

    runs = {run.task: run for run in ScheduledRun.objects.all()}
    tasks = PeriodicTask.objects.select_related("crontab", "interval", "solar", "clocked").order_by(
        "name"
    )
    return [
        ScheduledJob(
            name=task.name,
            task=task.task,
            schedule=_schedule_text(task),
            enabled=task.enabled,
            run=runs.get(task.task),
        )
        for task in tasks
    ]


def _schedule_text(task) -> str:
    """The crontab as an administrator types it in the admin ("0 9 * * *"), else the
    library's own wording of the interval."""
    c = task.crontab
    if c is not None:
        return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"
    return str(task.schedule) if task.interval_id else ""
