"""Structured logs with request ids: every log line of a request carries the request's id,
which the response returns in X-Request-ID (an incoming plausible one is honoured); the log
is JSON by default in production (DEBUG off) and text with DEBUG, chosen by LOG_FORMAT."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pythonjsonlogger.json import JsonFormatter

from config.request_id import HEADER, RequestIdFilter

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.smoke


@pytest.fixture
def json_lines():
    """What the request logs, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_gets_an_id_on_each_log_line_and_in_its_response(client, db, json_lines):
    response = client.get("/no-such-page/")  # Django logs "Not Found" for it
    assert response.status_code == 404
    request_id = response[HEADER]
    assert len(request_id) == 32
    lines = json_lines()
    assert lines and all(line["request_id"] == request_id for line in lines)
    assert any("Not Found" in line["message"] for line in lines)

    other = client.get("/no-such-page/")[HEADER]
    assert other != request_id  # one id per request
    assert all(line["request_id"] in (request_id, other) for line in json_lines())


def test_an_incoming_request_id_is_honoured(client, db, json_lines):
    response = client.get("/no-such-page/", headers={HEADER: "lb-7f3a.42_x"})
    assert response[HEADER] == "lb-7f3a.42_x"
    assert {line["request_id"] for line in json_lines()} == {"lb-7f3a.42_x"}


@pytest.mark.parametrize("sent", ["has spaces", "x" * 65, "<script>", "中文"])
def test_an_implausible_incoming_id_is_replaced(client, db, sent):
    assert client.get("/healthz", headers={HEADER: sent})[HEADER] != sent


def test_a_line_outside_any_request_says_so(json_lines):
    logging.getLogger("portal.test").warning("between requests")
    assert json_lines()[-1]["request_id"] == "-"


def _configured(**env) -> subprocess.CompletedProcess:
    """A fresh process configured from `env`, logging one line (as a web process would)."""
    script = (
        "import django, logging; django.setup(); from django.conf import settings; "
        "print(settings.LOG_FORMAT); logging.getLogger('portal.check').warning('日志 %s', 1)"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "DEBUG")}
    environ |= {"DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_logs_json_by_default():
    done = _configured(DEBUG="0")
    assert done.stdout.strip() == "json", done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "日志 1" and line["level"] == "WARNING"
    assert (line["logger"], line["request_id"]) == ("portal.check", "-") and line["time"]


def test_debug_logs_text_by_default_and_the_environment_chooses():
    done = _configured(DEBUG="1")
    assert done.stdout.strip() == "text", done.stderr
    assert done.stderr.strip().splitlines()[-1].endswith("WARNING portal.check [-] 日志 1")
    assert _configured(DEBUG="1", LOG_FORMAT="json").stdout.strip() == "json"
    refused = _configured(LOG_FORMAT="xml")
    assert refused.returncode != 0 and "LOG_FORMAT" in refused.stderr
