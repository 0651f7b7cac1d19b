"""Photos and materials of a record: re-encoded (EXIF gone), limited, all or nothing, and no file
left on disk by a write that failed."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ledger import services
from ledger.models import MeetingAttachment, MeetingPhoto, MeetingRecord

from .conftest import HELD, jpeg_upload, present

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _save(org, tpl, **kwargs):
    return services.save_draft(
        actor=org.users["secretary"], branch=org.a1, template=tpl, data={"held_at": HELD}, **kwargs
    )


def test_photos_are_re_encoded_without_exif(org, roster, tpl):
    upload = jpeg_upload(exif=True)
    assert b"SecretCam" in upload.read()
    upload.seek(0)
    record = _save(org, tpl, photos=[upload])
    photo = record.photos.get()
    data = photo.image.read()
    assert b"SecretCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert photo.thumb


def test_fifty_photos_at_once_are_refused_with_a_clear_message(org, roster, tpl, settings):
    with pytest.raises(ValidationError) as exc:
        _save(org, tpl, photos=[jpeg_upload(f"{n}.jpg") for n in range(50)])
    assert exc.value.message_dict["photos"] == [
        "每条台账最多 20 张照片：已有 0 张，本次选择了 50 张。"
    ]
    assert not MeetingRecord.objects.exists() and _files(settings) == []


def test_the_limit_counts_the_photos_already_there(org, roster, tpl, settings):
    settings.LEDGER_MAX_PHOTOS = 3
    record = _save(org, tpl, photos=[jpeg_upload(), jpeg_upload()])
    with pytest.raises(ValidationError, match="已有 2 张，本次选择了 2 张"):
        services.save_draft(
            actor=org.users["secretary"],
            record=record,
            data={},
            photos=[jpeg_upload(), jpeg_upload()],
        )
    assert record.photos.count() == 2


def test_a_bad_photo_among_good_ones_saves_nothing(org, roster, tpl, settings):
    bad = SimpleUploadedFile("evil.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        _save(org, tpl, photos=[jpeg_upload(), bad])
    assert exc.value.message_dict["photos"][0].startswith("第 2 张照片（evil.jpg）")
    assert not MeetingRecord.objects.exists() and _files(settings) == []


def test_files_stored_before_a_later_refusal_are_removed(org, roster, tpl, settings):
    """Photos are stored, then the attendance is refused: the files go with the rollback."""
    with pytest.raises(ValidationError, match="孙乙不是本支部党员"):
        _save(org, tpl, photos=[jpeg_upload()], attendance=present(roster.sun))
    assert not MeetingPhoto.objects.exists() and _files(settings) == []


def test_materials_are_stored_and_removed(org, roster, tpl, settings, run_commit_hooks):
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    record = _save(org, tpl, attachments=[pdf])
    attachment = record.attachments.get()
    assert attachment.original_name == "纪要.pdf" and attachment.content_type == "application/pdf"
    html = SimpleUploadedFile("x.html", b"<html>", content_type="text/html")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.save_draft(
            actor=org.users["secretary"], record=record, data={}, attachments=[html]
        )
    run_commit_hooks(
        services.remove_attachment, actor=org.users["secretary"], attachment=attachment
    )
    assert not MeetingAttachment.objects.exists() and _files(settings) == []
