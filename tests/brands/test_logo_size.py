"""A logo may be a phone photo as taken (3–8 MB): up to LOGO_MAX_BYTES is accepted and
re-encoded; beyond it the field says so in Chinese and the rest of the form is kept."""

import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from brands.models import BrandApplication
from common.uploads import LOGO_MAX_BYTES, LOGO_MAX_SIDE

from .conftest import CONTENT

pytestmark = pytest.mark.smoke

MB = 1024 * 1024


def noisy_png(side=1024) -> SimpleUploadedFile:
    """A PNG that does not compress: about 3 bytes a pixel, like a photo."""
    pixels = random.Random(14).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "PNG", compress_level=1)
    return SimpleUploadedFile("手机照片.png", buffer.getvalue(), content_type="image/png")


def form_data(**extra):
    data = {k: v for k, v in CONTENT.items() if k != "measures"}
    data["measures_text"] = "\n".join(CONTENT["measures"])
    return {**data, "save": "1", **extra}


def test_a_3_mb_phone_photo_is_accepted_and_shrunk(client, org):
    upload = noisy_png(1100)
    assert 3 * MB < upload.size < LOGO_MAX_BYTES
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("brands:create", args=[org.a1.pk]), form_data(logo_upload=upload)
    )
    app = BrandApplication.objects.get(unit=org.a1)
    assert response.status_code == 302
    with Image.open(app.logo.path) as image:
        assert max(image.size) <= LOGO_MAX_SIDE


def test_an_over_limit_logo_is_refused_at_the_field_keeping_the_rest(client, org):
    too_big = SimpleUploadedFile("大图.jpg", b"\xff\xd8\xff" + bytes(LOGO_MAX_BYTES))
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("brands:create", args=[org.a1.pk]), form_data(logo_upload=too_big)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not BrandApplication.objects.exists()
    field_error = re.search(r'id="error_\d+_id_logo_upload"[^>]*>(.*?)</', body, re.S)
    assert field_error and "文件过大（10.0 MB），上限为 10 MB。" in field_error[0]
    assert f'value="{CONTENT["name"]}"' in body and CONTENT["core_idea"] in body
    assert "设立党员先锋岗\n开展技术攻关" in body


def test_the_hint_states_the_limit_that_is_enforced(client, org):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("brands:create", args=[org.a1.pk])).content.decode()
    assert f"不超过 {LOGO_MAX_BYTES // MB} MB，手机照片可直接上传" in body
