"""Throwaway services for the fault tests: a redis-server on a free loopback port that a test
starts and stops (never the machine's shared Redis), and the Celery app pointed at it."""

import pytest

from tests.integration.test_cache_down import throwaway_redis  # noqa: F401 - a fixture


@pytest.fixture
def broker(throwaway_redis, monkeypatch):  # noqa: F811 - the fixture imported above
    """The Celery app of this process sends to the throwaway Redis, as a web process
    configured with it would (not eagerly)."""
    from config.celery import app

    # Celery reads the environment variable before its configuration (Settings.broker_url)
    monkeypatch.setenv("CELERY_BROKER_URL", throwaway_redis.url)
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = throwaway_redis.url, False
    app._pool, app.amqp._producer_pool = None, None  # connect to this broker, not a cached one
    yield throwaway_redis
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool, app.amqp._producer_pool = None, None
