"""Storage faults (#15 item 4), on the local disk and on an S3 store (a moto server the test
starts and stops):

* media unwritable (a read-only MEDIA_ROOT; the S3 server stopped) → a brand draft with a logo,
  a ledger record with a photo and a self-assessment with evidence answer without 5xx, with
  what was typed back in the form, a clear Chinese message, and no half-saved object;
* a stored file that has vanished → a "文件已丢失" page, not a generic 404, and a finished
  bulletin or export no longer shows "已完成";
* /readyz reports the media as degraded.
"""

import os
import stat
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from brands.models import BrandApplication
from bulletins.models import Bulletin
from common.uploads import StorageUnavailable
from evaluation.models import Assessment, Evidence, ResultsExport
from evaluation.selectors.tables import indicators_for
from ledger.models import MeetingPhoto, MeetingRecord
from tests.brands.conftest import CONTENT, png_upload
from tests.evaluation.conftest import a1, make_period, period  # noqa: F401 - fixtures
from tests.evaluation.test_flows import form_data, png
from tests.ledger.conftest import clock, jpeg_upload, roster, tpl  # noqa: F401 - fixtures
from tests.ledger.test_records_views import _post as ledger_post
from tests.s3server import S3Server

MESSAGE = "文件存储暂时不可用"


@pytest.fixture(params=["disk", "s3"])
def backend(request, settings, tmp_path):
    """Where the media go in this run: a temporary MEDIA_ROOT, or a fresh S3 bucket."""
    root = settings.MEDIA_ROOT = tmp_path / "media"
    root.mkdir()
    server = None
    if request.param == "s3":
        server = S3Server()
        server.start()
        server.create_bucket()
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": server.storage_options(),
            },
        }
    yield request.param, server
    if server is not None:
        server.stop()
    root.chmod(0o755)  # pytest removes tmp_path later


@pytest.fixture
def broken_media(backend, settings, tmp_path):
    """The media storage refuses writes: MEDIA_ROOT read-only (or, for root, whom file modes
    do not stop, a folder that cannot exist: inside a regular file); the S3 server stopped."""
    kind, server = backend
    if kind == "s3":
        server.stop()
    elif os.geteuid() == 0:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        settings.MEDIA_ROOT = blocker / "media"
    else:
        settings.MEDIA_ROOT.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return kind


def _media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def test_a_brand_draft_with_a_logo_keeps_the_form(client, org, broken_media, settings):
    client.force_login(org.users["secretary"])
    data = {k: v for k, v in CONTENT.items() if k != "measures"}
    data["measures_text"] = "\n".join(CONTENT["measures"])
    response = client.post(
        reverse("brands:create", args=[org.a1.pk]),
        {**data, "save": "1", "logo_upload": png_upload()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html and "请稍后重试" in html
    assert CONTENT["name"] in html and CONTENT["core_idea"] in html and "设立党员先锋岗" in html
    assert not BrandApplication.objects.exists()
    assert _media_files(settings) == []


def test_a_ledger_record_with_a_photo_keeps_the_form(
    client,
    org,
    roster,  # noqa: F811 - fixture
    tpl,  # noqa: F811 - fixture
    clock,  # noqa: F811 - fixture
    broken_media,
    settings,
):
    client.force_login(org.users["secretary"])
    data = ledger_post(roster, template=tpl.pk)
    data[f"reason-{roster.wang.pk}"] = "出差"
    data["photos"] = [jpeg_upload("a.jpg")]
    response = client.post(reverse("ledger:record_new", args=[org.a1.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert "学习党章第二章" in html and "会议记录全文……" in html and 'value="出差"' in html
    assert not MeetingRecord.objects.exists() and not MeetingPhoto.objects.exists()
    assert _media_files(settings) == []


def test_evidence_with_the_scores_keeps_the_form_and_saves_neither(
    client,
    org,
    a1,  # noqa: F811 - fixture
    broken_media,
    settings,
):
    client.force_login(org.users["secretary"])
    url = reverse("evaluation:fill", args=[a1.pk])
    first = indicators_for(a1.period.table_version_id, "production")[0]
    before = Assessment.objects.get(pk=a1.pk)
    data = form_data(a1, Decimal("0.8"))
    response = client.post(url, {**data, "save": "1", f"f{first.pk}": png()})
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE in html
    assert f'value="{data[f"s{first.pk}"]}"' in html and "台账齐全" in html
    assert not Evidence.objects.exists()
    after = Assessment.objects.get(pk=a1.pk)
    assert (after.self_total, after.updated_at) == (before.self_total, before.updated_at)


def test_readyz_reports_unwritable_media(client, db, broken_media, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and "media" in body["degraded"]
    assert body["checks"]["media"]["detail"].startswith("not writable")


def test_reading_a_stored_file_while_the_store_is_down_says_so(client, org, s3_storage):
    """(S3 only: a local disk is not "down" while the process runs.)"""
    secretary = org.users["secretary"]
    from brands import services as brands

    app = brands.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    s3_storage.stop()
    client.force_login(secretary)
    response = client.get(reverse("brands:logo", args=[app.pk]))
    assert response.status_code == 503
    assert "文件存储暂时不可用" in response.content.decode()


# --- files that vanished ------------------------------------------------------------------


def test_a_vanished_logo_is_reported_as_lost(client, org, backend):
    from brands import services as brands

    secretary = org.users["secretary"]
    app = brands.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    client.force_login(secretary)
    assert client.get(reverse("brands:logo", args=[app.pk])).status_code == 200
    default_storage.delete(app.logo.name)
    response = client.get(reverse("brands:logo", args=[app.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "文件已丢失" in html and "页面不存在" not in html


def test_a_bulletin_whose_files_vanished_is_not_shown_as_done(client, org, backend):
    month = timezone.localdate().replace(day=1)
    names = [
        default_storage.save(f"bulletins/b.{ext}", ContentFile(b"PK\x03\x04"))
        for ext in ("xlsx", "docx")
    ]
    bulletin = Bulletin.objects.create(
        month=month,
        scope=org.province,
        status="done",
        progress=100,
        xlsx=names[0],
        docx=names[1],
        generated_at=timezone.now(),
    )
    client.force_login(org.users["admin"])
    detail = reverse("bulletins:detail", args=[bulletin.pk])
    html = client.get(detail).content.decode()
    assert "文件已丢失" not in html and 'data-testid="download-xlsx"' in html
    default_storage.delete(names[0])
    html = client.get(detail).content.decode()
    assert "文件已丢失" in html and "请重新生成" in html
    assert 'data-testid="download-xlsx"' not in html
    progress = client.get(reverse("bulletins:progress", args=[bulletin.pk])).content.decode()
    assert "文件已丢失" in progress
    response = client.get(reverse("bulletins:download", args=[bulletin.pk, "xlsx"]))
    assert response.status_code == 404 and "文件已丢失" in response.content.decode()
    response = client.get(reverse("bulletins:download", args=[bulletin.pk, "docx"]))
    assert response.status_code == 200


def test_a_results_export_whose_file_vanished_is_not_shown_as_done(
    client,
    org,
    period,  # noqa: F811 - fixture
    backend,
):
    reviewer = org.users["province_reviewer"]
    name = default_storage.save("exports/results.xlsx", ContentFile(b"PK\x03\x04"))
    ResultsExport.objects.create(
        period=period,
        requested_by=reviewer,
        status="done",
        progress=100,
        file=name,
        rows=3,
        finished_at=timezone.now(),
    )
    client.force_login(reviewer)
    page = reverse("evaluation:export", args=[period.pk])
    assert 'data-testid="export-download"' in client.get(page).content.decode()
    default_storage.delete(name)
    html = client.get(page).content.decode()
    assert "文件已丢失" in html and 'data-testid="export-download"' not in html
    response = client.get(reverse("evaluation:export_download", args=[period.pk]))
    assert response.status_code == 404 and "文件已丢失" in response.content.decode()


def test_storage_unavailable_is_a_refusal_every_form_shows():
    from django.core.exceptions import ValidationError

    from common.errors import DomainError, error_text

    exc = StorageUnavailable()
    assert isinstance(exc, DomainError) and isinstance(exc, ValidationError)
    assert error_text(exc).startswith(MESSAGE)
