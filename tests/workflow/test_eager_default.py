"""The embedded default (no CELERY_BROKER_URL): tasks run in the caller, and sending one names
no broker to reach — no kombu "No hostname was supplied" line in a server's log per thread."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django
django.setup()
from config.celery import app
from workflow.tasks import send_notification_emails
assert app.conf.task_always_eager, app.conf.task_always_eager
print("broker", app.conf.broker_url)
print("sent", send_notification_emails.delay([]).get())
"""


def test_a_task_sent_on_the_embedded_default_runs_in_place_without_a_broker_warning(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_", "CACHE_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(  # noqa: S603 -- our interpreter, our script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "broker memory://localhost/" in done.stdout
    assert "sent 0" in done.stdout
    assert "No hostname" not in done.stdout + done.stderr
