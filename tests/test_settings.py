"""Production settings read from the environment: persistent database connections, the media
storage (local disk or an S3-compatible store) and the cached template loader.

Settings are read once per process, so each variant is read in a subprocess of its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
store = settings.STORAGES["default"]
options = dict(store.get("OPTIONS", {}))
options.pop("client_config", None)
print(json.dumps({"conn_max_age": db["CONN_MAX_AGE"], "health": db["CONN_HEALTH_CHECKS"],
                  "backend": store["BACKEND"], "options": options}))
"""
CLEARED = (
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "STORAGE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
)


def settings_with(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **variables)
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_keeps_local_disk_and_short_connections():
    found = settings_with()
    assert found["backend"] == "django.core.files.storage.FileSystemStorage"
    assert found["conn_max_age"] == 0
    assert found["health"] is True


def test_production_database_keeps_connections_with_health_checks():
    found = settings_with(DATABASE_URL="postgres://portal@db.invalid:5432/portal")
    assert found["conn_max_age"] == 60
    assert found["health"] is True
    tuned = settings_with(DATABASE_URL="postgres://p@db.invalid/p", CONN_MAX_AGE="5")
    assert tuned["conn_max_age"] == 5


def test_storage_url_selects_private_s3_storage():
    found = settings_with(STORAGE_URL="s3+http://key:se%2Fcret@127.0.0.1:9000/portal-media")
    assert found["backend"] == "storages.backends.s3.S3Storage"
    options = found["options"]
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["bucket_name"] == "portal-media"
    assert (options["access_key"], options["secret_key"]) == ("key", "se/cret")
    # private objects, unique names, and never a lasting public URL
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["querystring_auth"] is True


def test_aws_variables_win_over_the_url_and_work_alone():
    found = settings_with(STORAGE_URL="s3://k:s@minio:9000/one", AWS_STORAGE_BUCKET_NAME="two")
    assert found["options"]["bucket_name"] == "two"
    assert found["options"]["endpoint_url"] == "https://minio:9000"
    alone = settings_with(AWS_STORAGE_BUCKET_NAME="media", AWS_S3_REGION_NAME="cn-north-1")
    assert alone["backend"] == "storages.backends.s3.S3Storage"
    assert alone["options"] == {
        **alone["options"],
        "bucket_name": "media",
        "region_name": "cn-north-1",
    }
    assert "endpoint_url" not in alone["options"]


def test_templates_are_compiled_once_per_process():
    """No "loaders" option: Django wraps the loaders in the cached loader, DEBUG or not."""
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1
    assert isinstance(loaders[0], CachedLoader)


TRIVIAL_PROBE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
print(Client().get("/bench/trivial/").status_code)
"""


def trivial_status(**variables) -> int:
    env = {k: v for k, v in os.environ.items() if k not in (*CLEARED, "BENCH_TRIVIAL_VIEW")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **variables)
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", TRIVIAL_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_the_load_bench_floor_is_routed_only_when_a_bench_asks():
    """bench/load.py's trivial view (config/trivial.py) is not part of a deployment."""
    assert trivial_status() == 404
    assert trivial_status(BENCH_TRIVIAL_VIEW="1") == 200
