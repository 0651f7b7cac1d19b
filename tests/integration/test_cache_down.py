"""The shared cache (Redis) goes away while the portal runs: every main page still serves, from
the database, within a bound; a write whose after-commit cache update cannot reach Redis is
committed and reported as done; when Redis is back the figures are cached again.

The test starts its own throwaway redis-server on a free loopback port and stops it; the
machine's shared Redis is never touched."""

import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse

from brands import services as brand_services
from brands.models import BrandApplication
from config.cache import FailSoftRedisCache
from tests.conftest import _unavailable

#: A request that waits on an unreachable cache must still answer well inside this (seconds).
BOUND = 5.0

#: (user, page) pairs covering each role's main pages.
PAGES = [
    ("admin", "dashboard"),
    ("admin", "branches:unit_list"),
    ("province_reviewer", "brands:index"),
    ("province_reviewer", "brands:queue"),
    ("province_reviewer", "brands:showcase"),
    ("province_reviewer", "brands:coverage"),
    ("province_reviewer", "evaluation:index"),
    ("province_reviewer", "evaluation:review_queue"),
    ("province_reviewer", "flagship:index"),
    ("admin", "bulletins:index"),
    ("city_reviewer", "dashboard"),
    ("city_reviewer", "brands:coverage"),
    ("city_reviewer", "branches:unit_list"),
    ("secretary", "dashboard"),
    ("secretary", "brands:index"),
    ("secretary", "evaluation:index"),
    ("member", "brands:showcase"),
    # the branch's own records, party groups and the programme's follow-up
    ("city_reviewer", "ledger:index"),
    ("city_reviewer", "ledger:compliance_area"),
    ("city_reviewer", "ledger:work_overview_area"),
    ("province_reviewer", "ledger:templates"),
    ("member", "ledger:my_record"),
    ("city_reviewer", "groups:posts_area"),
    ("city_reviewer", "groups:brand_groups"),
    ("member", "groups:me"),
    ("province_reviewer", "honours:rounds"),
    ("city_reviewer", "rectification:index"),
    ("secretary", "rectification:mine"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRedis:
    def __init__(self, binary):
        self.binary = binary
        self.port = _free_port()
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(  # noqa: S603 - the system's redis-server, our arguments
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("throwaway redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def throwaway_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("needs redis-server on PATH for a throwaway Redis")
    server = ThrowawayRedis(binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(throwaway_redis, settings):
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.FailSoftRedisCache", "LOCATION": throwaway_redis.url}
    }
    assert isinstance(_backend(), FailSoftRedisCache)
    return throwaway_redis


def _backend():
    from django.core.cache import caches

    return caches["default"]


def get_all(client, org):
    """Each page's status and seconds."""
    seen = []
    for role, name in PAGES:
        client.force_login(org.users[role])
        started = time.monotonic()
        status = client.get(reverse(name)).status_code
        seen.append((role, name, status, time.monotonic() - started))
    return seen


@pytest.mark.services
def test_pages_serve_from_the_database_while_redis_is_away(client, org, redis_cache):
    warm = get_all(client, org)  # Redis up: every page answers, and its figures are cached
    assert [(role, name, status) for role, name, status, _s in warm if status != 200] == []
    assert _backend().reachable()
    redis_cache.stop()
    assert not _backend().reachable()
    seen = get_all(client, org)
    failing = [(role, name, status) for role, name, status, _s in seen if status != 200]
    assert failing == []
    slow = [(role, name, round(s, 2)) for role, name, _st, s in seen if s > BOUND]
    assert slow == []


@pytest.mark.services
def test_a_write_commits_and_reports_done_while_redis_is_away(
    org, redis_cache, django_capture_on_commit_callbacks
):
    redis_cache.stop()
    # Creating an application bumps the cached list count after the commit: that update
    # cannot reach Redis, and must neither raise nor undo the saved draft.
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        app = brand_services.save_application_draft(
            actor=org.users["secretary"], unit=org.a1, data={"name": "网络先锋"}
        )
    assert hooks, "the service registers its cache update after the commit"
    assert BrandApplication.objects.get(pk=app.pk).name == "网络先锋"


@pytest.mark.services
def test_figures_are_cached_again_once_redis_is_back(client, org, redis_cache):
    redis_cache.stop()
    client.force_login(org.users["province_reviewer"])
    assert client.get(reverse("brands:coverage")).status_code == 200
    redis_cache.start()  # the same port: the pool reconnects
    assert client.get(reverse("brands:coverage")).status_code == 200
    assert _backend().reachable()
    assert any(key.startswith(b":1:brands:") for key in _backend()._cache.get_client().keys("*"))


@pytest.mark.services
def test_healthz_stays_alive_and_readyz_reports_the_cache_down(client, db, redis_cache):
    assert client.get("/readyz").json()["checks"]["cache"]["detail"] == "ok"
    redis_cache.stop()
    response = client.get("/healthz")
    assert response.status_code == 200  # the portal still serves: an optimisation is missing
    assert response.json() == {"status": "ok", "database": "ok"}
    cache = client.get("/readyz").json()["checks"]["cache"]
    assert (cache["status"], cache["detail"][:11]) == ("degraded", "unreachable")
