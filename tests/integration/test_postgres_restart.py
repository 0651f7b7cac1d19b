"""PostgreSQL restarts fast (pg_ctl restart -m fast) three times under a 200-request loop:
requests during a restart may fail, but the portal recovers by itself — the last 50 requests
all succeed — and no write is half-applied: every application's status equals the to-state
of its last audit entry.

The test starts its own throwaway cluster (initdb into a temporary directory, pg_ctl on a
free loopback port, fsync off: it holds nothing worth keeping) and never touches the
machine's shared PostgreSQL. The application runs in its own process against that cluster
(restart_loop.py), as a web process would."""

import contextlib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import _unavailable
from tests.integration.test_cache_down import _free_port

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200
#: After these requests PostgreSQL is restarted (all well before the last 50).
RESTART_AFTER = (30, 70, 110)

pytestmark = pytest.mark.services


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        _unavailable("needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    return Path(found[-1]).parent


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data = self.dir / "data"
        # initdb and postgres refuse to run as root: run them as the postgres system user
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.dir, "postgres")

    def _run(self, *command, timeout=60):
        return subprocess.run(  # noqa: S603 - the system's PostgreSQL binaries, our arguments
            [*self.as_owner, *map(str, command)],
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def start(self):
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-o", options,
                  "-w", "start")  # fmt: skip
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                  "portal")  # fmt: skip

    def restart(self):
        # -l again: without it the server's log would hold our pipe open for ever
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-m", "fast",
                  "-w", "restart")  # fmt: skip

    def stop(self):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres(_binaries())
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_the_portal_recovers_from_fast_postgres_restarts_without_half_writes(
    throwaway_postgres, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": throwaway_postgres.url,
        "CELERY_BROKER_URL": "",  # tasks run in the process, as on the embedded default
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_URL": "dummymail://",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "CONN_MAX_AGE": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CACHE_URL", None)
    app = subprocess.Popen(  # noqa: S603 - our interpreter, our module
        [sys.executable, "-m", "tests.integration.restart_loop", str(REQUESTS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "app.log", "wb"),  # noqa: SIM115 - closed with the process
        text=True,
    )
    result, restarts, started = None, [], time.monotonic()
    try:
        for line in app.stdout:
            if time.monotonic() - started > 150:
                raise AssertionError("the request loop took too long")
            if not line.startswith("@@"):
                continue
            word = line[2:].strip()
            if word.startswith("result "):
                result = json.loads(word[len("result ") :])
            elif word.isdigit() and int(word) in RESTART_AFTER:
                began = time.monotonic()
                throwaway_postgres.restart()
                restarts.append(round(time.monotonic() - began, 2))
        app.wait(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)
    log = (tmp_path / "app.log").read_text(errors="replace")[-3000:]
    assert result is not None, log
    assert len(restarts) == len(RESTART_AFTER)

    outcomes = result["outcomes"]
    assert len(outcomes) == REQUESTS
    ok = [o in (200, 302) for o in outcomes]
    assert all(ok[-50:]), outcomes[-50:]
    assert result["apps"] and all(a["status"] == a["last"] for a in result["apps"]), result
    assert result["audit"] > 10  # the loop did change the application, many times
    print(  # the figures for the report (pytest -s)
        f"restarts={restarts}s failed={ok.count(False)}/{REQUESTS} audit={result['audit']}"
    )
