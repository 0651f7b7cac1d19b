import functools
import importlib
import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import Org
from tests.s3server import s3_server, s3_storage  # noqa: F401 - fixtures for any test

# Property tests judge the rule, never the machine: no per-example deadline and no "input
# generation is slow" health check, which fail on a loaded CI machine (a wall-clock assertion
# in disguise) whatever the code does.
hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("portal")

# In CI the service-backed and browser tests must run: a skip there is a failure.
STRICT = os.environ.get("REQUIRE_SERVICES") == "1"


def _unavailable(reason):
    if STRICT:
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def postgres():
    """The test runs on the real PostgreSQL (DATABASE_URL=postgres://…)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _unavailable("needs DATABASE_URL pointing at PostgreSQL")


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process in unit tests, whatever the broker; tests that use the real
    broker (the `redis_broker` fixture) send them through Redis instead."""
    from config.celery import app

    eager = "redis_broker" not in request.fixturenames
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or previous
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def redis_broker():
    """The real Redis broker from CELERY_BROKER_URL, reachable."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        _unavailable("needs CELERY_BROKER_URL=redis://…")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
    except OSError as exc:
        _unavailable(f"Redis unreachable at {url}: {exc}")
    return url


@pytest.fixture(autouse=True)
def _shipped_tables(request):
    """What the data migrations ship (scoring tables, work templates, beat schedules) is flushed
    by a transactional test (ours or another app's) on PostgreSQL, so restore it for the tests
    that need the database."""
    marker = request.node.get_closest_marker("django_db")
    if not marker and not {"db", "transactional_db", "org"} & set(request.fixturenames):
        return
    transactional = marker is not None and marker.kwargs.get("transaction")
    request.getfixturevalue("transactional_db" if transactional else "db")
    restore_shipped_tables()


#: The data migrations that ship rows, in order, by what they ship: (the model whose emptiness
#: says a flush removed them, [(app, migration, function), …]).
SHIPPING = [
    (
        "evaluation.ScoringTable",
        [
            ("evaluation", "0002_default_tables", "create_defaults"),
            ("evaluation", "0005_indicator_online_rule", "ship_online_version"),
            ("evaluation", "0012_ledger_online_versions", "ship_ledger_versions"),
            ("evaluation", "0016_party_group_rules", "ship_group_version"),
            ("evaluation", "0018_six_good_groups_online_version", "ship_groups_version"),
            ("evaluation", "0019_member_tables", "ship_member_tables"),
            ("evaluation", "0020_five_force_online_version", "ship_five_force_version"),
        ],
    ),
    ("ledger.MeetingTemplate", [("ledger", "0002_default_templates", "install")]),
    (
        "django_celery_beat.PeriodicTask",
        [
            ("workflow", "0003_default_schedules", "add_defaults"),
            ("workflow", "0005_reaper_schedule", "add_schedule"),
            ("workflow", "0006_outbox", "add_schedule"),
            ("bulletins", "0002_monthly_schedule", "add_schedule"),
            ("evaluation", "0007_purge_exports_schedule", "add_schedule"),
            ("backup", "0001_backup_schedule", "add_schedule"),
            ("ledger", "0005_work_list_schedule", "add_schedule"),
            ("ledger", "0006_reminder_schedule", "add_schedule"),
            ("ledger", "0009_compliance_snapshot_schedule", "add_schedule"),
            ("evaluation", "0014_schedules_beat", "add_schedule"),
        ],
    ),
]


def restore_shipped_tables():
    """Run the data migrations that ship rows again, for each kind a flush removed."""
    from django.apps import apps

    for label, steps in SHIPPING:
        if apps.get_model(label).objects.exists():
            continue
        for app, name, function in steps:
            migration = importlib.import_module(f"{app}.migrations.{name}")
            getattr(migration, function)(_historical_apps(), None)


@functools.cache
def _historical_apps():
    """The models as the migrations see them (today's fields, no frozen-version guard)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state().apps


@pytest.fixture
def run_commit_hooks(django_capture_on_commit_callbacks):
    """Call a service and run its on_commit hooks (a task sent, an old file deleted) as a real
    commit would: `run_commit_hooks(fn, *args, **kwargs)`."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def run_concurrently(*calls) -> list:
    """Start `calls` in threads at the same instant (a barrier), each on its own database
    connection; what each returned or raised, in order. For races on PostgreSQL."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def poll_fragment(client, url, *, timeout=120) -> list[str]:
    """GET a progress fragment until it stops polling (done or failed: no hx-trigger left);
    every fragment seen, in order."""
    import time

    fragments = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fragments.append(client.get(url, headers={"HX-Request": "true"}).content.decode())
        if "hx-trigger" not in fragments[-1]:
            break
        time.sleep(0.2)
    return fragments


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached figures are keyed by versions the services bump; a test that builds its data
    # with factories bypasses them, so every test starts with nothing cached.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Demo users get real hashed passwords; the slow default hasher only costs test time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_transport(settings):
    # Production settings redirect to HTTPS and serve hashed static names after collectstatic;
    # the test client and live server speak plain HTTP and read static files from the source.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploads, logos and generated files go to the test's own folder, never the checkout's
    # media/ (nor another test's).
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_collection_modifyitems(config, items):
    """Mark tests by the services they use, and in CI refuse a run that would count none."""
    for item in items:
        if {"postgres", "redis_broker"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)
    if STRICT and not config.getoption("markexpr"):
        for marker in ("services", "e2e"):
            if not any(item.get_closest_marker(marker) for item in items):
                raise pytest.UsageError(f"REQUIRE_SERVICES=1 but no '{marker}' test was collected")


@pytest.fixture
def celery_worker_queue(transactional_db, postgres, redis_broker, settings):
    """A real Celery worker (subprocess) on a queue of its own, reading the test database and
    writing into the test's MEDIA_ROOT. Yields the queue name to send tasks to."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.db import connection

    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_URL": "consolemail://",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "threads"]
    command += ["-c", "4", "-Q", queue, "--without-mingle", "--without-gossip"]
    command += ["--without-heartbeat", "-l", "WARNING"]
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield queue
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language. A request in English (LocaleMiddleware
    activates the language for the thread and nothing deactivates it) must not make the next
    test's server-side messages English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
