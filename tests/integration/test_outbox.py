"""The broker (Redis) is down when a bulletin is requested: the request gives up on the broker
within a second, the bulletin stays queued (the job row is the truth) and the user is told
"已记录，稍后处理"; the reaper does not take it for lost; once Redis is back the relay (beat,
every minute) sends its task, exactly once.

A throwaway redis-server on a free loopback port is the broker here (started and stopped by
the test); the machine's shared Redis is never touched."""

import time
from datetime import timedelta

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from bulletins import selectors as bulletin_selectors
from bulletins.models import Bulletin
from workflow import outbox, reaper
from workflow.models import JobStatus, UnsentJob

#: Seconds a request may spend finding out that the broker is away: the send gives up within
#: a second (0.3 s measured); the bound leaves room for a loaded CI machine.
BOUND = 5.0

pytestmark = pytest.mark.services


def queued_messages(server) -> int:
    return redis.Redis.from_url(server.url, socket_timeout=2).llen("celery")


def test_a_job_requested_while_the_broker_is_down_is_kept_and_relayed_once(
    client, transactional_db, org, broker
):
    """Transactional, so the request's after-commit send happens in the request, as live."""
    broker.stop()
    month = bulletin_selectors.previous_month()
    client.force_login(org.users["admin"])
    url = reverse("bulletins:generate", args=[org.province.pk, month.year, month.month])

    started = time.monotonic()
    response = client.post(url, follow=True)
    seconds = time.monotonic() - started

    assert response.status_code == 200 and seconds < BOUND, seconds
    bulletin = Bulletin.objects.get(scope=org.province, month=month)
    assert bulletin.status == JobStatus.QUEUED  # kept, not failed
    assert "已记录" in response.content.decode()  # the user is told it will be done
    assert "生成失败" not in response.content.decode()
    assert UnsentJob.objects.filter(job_id=bulletin.pk).count() == 1

    # The broker stays away for 20 minutes: the reaper does not take the job for lost, and
    # each relay run gives up quickly, keeping what is owed.
    later = timezone.now() + timedelta(minutes=20)
    assert reaper.reap_stale_jobs(now=later) == 0
    started = time.monotonic()
    assert outbox.relay() == 0
    assert time.monotonic() - started < BOUND
    assert UnsentJob.objects.get(job_id=bulletin.pk).attempts == 2

    broker.start()  # the same port: Redis is back
    assert outbox.relay() == 1
    assert queued_messages(broker) == 1  # the task is in the queue for a worker
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.error) == (JobStatus.QUEUED, "")
    assert not UnsentJob.objects.exists()

    assert outbox.relay() == 0  # a second run owes nothing: sent exactly once
    assert queued_messages(broker) == 1


def test_a_job_asked_for_again_is_no_longer_owed(org, broker, run_commit_hooks):
    from bulletins import services

    broker.stop()
    month = bulletin_selectors.previous_month()
    bulletin, _ = run_commit_hooks(services.request_bulletin, scope=org.province, month=month)
    assert UnsentJob.objects.count() == 1
    Bulletin.objects.filter(pk=bulletin.pk).update(status=JobStatus.FAILED)  # e.g. reaped
    broker.start()
    assert outbox.relay() == 0  # it moved on: nothing is sent for it
    assert queued_messages(broker) == 0 and not UnsentJob.objects.exists()
