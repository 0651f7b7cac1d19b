"""Celery application. Without CELERY_BROKER_URL, tasks run eagerly (see settings)."""

import os

from celery import Celery, signals

from config import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _eager_needs_no_broker(sender, **kwargs):
    """On the embedded default (no CELERY_BROKER_URL, tasks eager) `delay()` still takes a
    producer from the pool; with no broker named, kombu fills in amqp://localhost and logs "No
    hostname was supplied" once per thread. The in-memory transport (named with a host, or
    kombu warns again) is what eager means."""
    if sender.conf.task_always_eager and not sender.conf.broker_url:
        sender.conf.broker_url = "memory://localhost/"


#: The log context each running task replaced, by task id (restored when it ends).
_previous = {}


@signals.task_prerun.connect
def _log_with_task_id(task_id=None, **kwargs):
    """A task's log lines carry its id where a request's carry the request id; a task run
    eagerly inside a request keeps the request's."""
    if request_id.current.get() == "-":
        _previous[task_id] = request_id.current.set(f"task-{task_id}")


@signals.task_postrun.connect
def _log_without_task_id(task_id=None, **kwargs):
    token = _previous.pop(task_id, None)
    if token is not None:
        request_id.current.reset(token)
