"""A stateless web tier (#19 item 3): two web servers (gunicorn subprocesses) on different
loopback ports against one database, one cache and one object store (a moto S3 server the test
starts). A secretary uploads a logo and an attachment on the first node; the second node serves
both, byte for byte, to the same session, and refuses them to a user of another city's branch.

The database is a private one: a fresh PostgreSQL database on the test's server when
DATABASE_URL is PostgreSQL (then this test is `services`), else a SQLite file both nodes open.
The cache is a file cache both nodes share. Each node is given a MEDIA_ROOT of its own that must
stay absent: nothing is written to a node's disk."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.pgdb import throwaway_database
from tests.s3server import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [pytest.mark.services] if ON_POSTGRES else []

PASSWORD = "demo-pass-123"  # tests.factories.UserFactory's
SETUP = """
import json, django
django.setup()
from tests.factories import Org
org = Org()
print(json.dumps({"a1": org.a1.pk, "secretary": org.users["secretary"].username,
                  "outsider": org.sec_b1.username}))
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def shared_database(tmp_path):
    """DATABASE_URL of a database of this test's own, dropped afterwards."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with throwaway_database("two_nodes") as database:
        yield database.url


def _base_env(database_url, s3, tmp_path) -> dict:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "DATABASE_", "CELERY_", "CACHE_", "STORAGE_", "MEDIA_"))
    }
    return {
        **keep,
        **s3.env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"filecache://{tmp_path / 'shared-cache'}",
        "CELERY_BROKER_URL": "",
        "SECRET_KEY": "two-nodes-" + "x" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_URL": "consolemail://",
        "PYTHONPATH": str(ROOT),
    }


def _run(command, env, timeout=300):
    done = subprocess.run(  # noqa: S603 - our interpreter, our commands
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def cluster(shared_database, s3_server, tmp_path):
    """The shared database migrated and seeded; two gunicorn nodes serving it. Yields
    (the seeded names, [node 1 URL, node 2 URL], [each node's MEDIA_ROOT])."""
    base = _base_env(shared_database, s3_server, tmp_path)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], base)
    seeded = json.loads(_run([sys.executable, "-c", SETUP], base).strip().splitlines()[-1])
    nodes, media_roots, procs = [], [], []
    try:
        for number in (1, 2):
            port = free_port()
            media_root = tmp_path / f"node{number}-media"  # must never be created
            env = {**base, "MEDIA_ROOT": str(media_root)}
            log = (tmp_path / f"node{number}.log").open("w")
            procs.append(
                subprocess.Popen(  # noqa: S603 - our interpreter and arguments
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
                    + ["--timeout", "60"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            wait_for_port(port, timeout=60, proc=procs[-1])
            nodes.append(f"http://127.0.0.1:{port}")
            media_roots.append(media_root)
        yield seeded, nodes, media_roots
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _login(session, node, username):
    session.get(f"{node}/login/", timeout=30)
    response = session.post(
        f"{node}/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[-2000:]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (190, 20, 30)).save(out, "PNG")
    return out.getvalue()


def test_upload_on_one_node_download_on_the_other(cluster, s3_server):
    import requests

    seeded, (first, second), media_roots = cluster
    secretary = requests.Session()
    _login(secretary, first, seeded["secretary"])

    # a brand draft with its logo, on the first node
    created = secretary.post(
        f"{first}/brands/new/{seeded['a1']}/",
        data={
            "name": "红色引擎",
            "slogan": "党建引领，网络护航",
            "brand_type": "development",
            "core_idea": "把支部建在网上",
            "goal": "三年内故障处理时长下降30%",
            "measures_text": "设立党员先锋岗\n开展技术攻关",
            "results": "网络质量排名全省第一",
            "save": "1",
            "csrfmiddlewaretoken": secretary.cookies["csrftoken"],
        },
        files={"logo_upload": ("logo.png", _png(), "image/png")},
        allow_redirects=False,
        timeout=60,
    )
    assert created.status_code == 302, created.text[-2000:]
    app_pk = int(re.search(r"/brands/(\d+)/", created.headers["Location"]).group(1))
    uploaded = secretary.post(
        f"{first}/brands/{app_pk}/attachments/",
        data={"csrfmiddlewaretoken": secretary.cookies["csrftoken"]},
        files={"file": ("方案.pdf", PDF, "application/pdf")},
        timeout=60,
    )
    assert uploaded.status_code == 200 and "附件已上传" in uploaded.text
    attachment_pk = int(re.search(r"/brands/attachments/(\d+)/", uploaded.text).group(1))
    stored = s3_server.keys()
    assert len(stored) == 3  # the logo, its thumbnail, the attachment: all in the bucket

    # the second node serves both to the same session (sessions live in the database)
    logo = secretary.get(f"{second}/brands/{app_pk}/logo/", timeout=30)
    assert logo.status_code == 200 and logo.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(logo.content)).size == (320, 200)
    assert logo.content == secretary.get(f"{first}/brands/{app_pk}/logo/", timeout=30).content
    document = secretary.get(f"{second}/brands/attachments/{attachment_pk}/", timeout=30)
    assert document.status_code == 200 and document.content == PDF
    assert "attachment" in document.headers["Content-Disposition"]
    # streamed by the portal, never a redirect to the bucket
    assert str(s3_server.port) not in document.headers.get("Location", "")

    # another city's secretary, logged in on the second node, is refused the attachment
    outsider = requests.Session()
    _login(outsider, second, seeded["outsider"])
    refused = outsider.get(
        f"{second}/brands/attachments/{attachment_pk}/", allow_redirects=False, timeout=30
    )
    assert refused.status_code in (403, 404)
    assert PDF not in refused.content
    # and nobody logged out gets anything
    anonymous = requests.get(
        f"{second}/brands/attachments/{attachment_pk}/", allow_redirects=False, timeout=30
    )
    assert anonymous.status_code == 302 and "/login/" in anonymous.headers["Location"]

    assert not any(root.exists() for root in media_roots)  # no node wrote to its own disk
