"""The load bench's server side (bench/load.py): gunicorn on a free loopback port with the
production settings, its CPU time read from /proc, and the bench's own Redis database."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.run import database_url, db_name

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(args, port: int) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "CACHE_", "CONN_", "STORAGE_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="load-bench-" + os.urandom(16).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(args.server, db_name("load")),
        CACHE_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        EMAIL_URL="dummymail://",
        STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
        BENCH_TRIVIAL_VIEW="1",
        PYTHONWARNINGS="ignore::UserWarning",  # "No directory at: staticfiles/"
    )
    return env


def empty_cache(args) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=args.redis_db, socket_timeout=3).flushdb()


def start_server(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        f"--worker-class={args.worker_class}",
        "--timeout=60",
        "--keep-alive=5",
        "--log-level=warning",
    ]
    with log.open("w") as output:  # gunicorn's and Django's log lines (stderr) go to the file
        server = subprocess.Popen(  # noqa: S603 -- our interpreter, gunicorn, fixed arguments
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=output, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                if b" 200 " in s.recv(200):
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the group this script started
            server.wait()


def cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's master and its workers so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == master or int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / tick
