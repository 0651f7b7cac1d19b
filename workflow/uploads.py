"""Validation of uploaded files, shared by every app that accepts them.

Types are decided by content, never by the file name or the browser's content type; images are
decoded and re-encoded by Pillow (which drops anything hidden in them); stored names are random.
"""

import io
import uuid
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
LOGO_MAX_SIDE = 1024
PHOTO_MAX_SIDE = 2048  # activity and site-visit photos keep enough detail to print
THUMB_SIDE = 240

OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    content_type: str
    original_name: str
    size: int


def safe_display_name(name: str) -> str:
    """The client's file name, only for display: no path, no control characters, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    return base[:100] or _("未命名文件")


def _check_size(upload, max_bytes):
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件过大（%(size).1f MB），上限为 %(max).0f MB。")
            % {"size": upload.size / 1048576, "max": max_bytes / 1048576}
        )


def _open_image(data: bytes) -> Image.Image:
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in IMAGE_FORMATS:
            raise ValidationError(_("仅支持 PNG、JPEG、GIF、WEBP 图片。"))
        if probe.width * probe.height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("图片尺寸过大，请压缩后再上传。"))
        probe.verify()
        image = Image.open(io.BytesIO(data))  # verify() leaves the object unusable
        image.load()
        return image
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("无法识别的图片文件，请上传 PNG 或 JPEG 图片。")) from exc


def _encode(image: Image.Image, max_side: int) -> tuple[bytes, str, str]:
    image = image.copy()
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "png", "image/png"
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue(), "jpg", "image/jpeg"


def clean_image(
    upload, *, max_bytes=2 * 1024 * 1024, max_side=LOGO_MAX_SIDE
) -> tuple[CleanFile, CleanFile]:
    """Validate and re-encode an uploaded image (longest side at most `max_side`); returns
    (image, thumbnail)."""
    _check_size(upload, max_bytes)
    image = _open_image(upload.read())
    stem = uuid.uuid4().hex
    full, ext, ctype = _encode(image, max_side)
    thumb, _ext, _ct = _encode(image, THUMB_SIDE)
    name = safe_display_name(upload.name)
    return (
        CleanFile(ContentFile(full, name=f"{stem}.{ext}"), ctype, name, len(full)),
        CleanFile(ContentFile(thumb, name=f"{stem}_t.{ext}"), ctype, name, len(thumb)),
    )


def _sniff_document(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy .doc/.xls/.ppt
        return "bin", "application/octet-stream"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, kind in OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return kind
    return None


def clean_document(upload, *, max_bytes=20 * 1024 * 1024) -> CleanFile:
    """Accept PDF, Office documents and images (re-encoded); refuse everything else (SVG, HTML,
    scripts, archives), whatever the file is called."""
    _check_size(upload, max_bytes)
    data = upload.read()
    name = safe_display_name(upload.name)
    kind = _sniff_document(data)
    if kind is None:
        try:
            image = _open_image(data)
        except ValidationError:
            raise ValidationError(
                _("不支持的文件类型：仅可上传 PDF、Word、Excel、PowerPoint 文档或图片。")
            ) from None
        content, ext, ctype = _encode(image, PHOTO_MAX_SIDE)
        return CleanFile(
            ContentFile(content, name=f"{uuid.uuid4().hex}.{ext}"), ctype, name, len(content)
        )
    ext, ctype = kind
    return CleanFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), ctype, name, len(data))


def save_document(attachment, upload, *, actor):
    """Validate `upload` (clean_document) and store it on `attachment`, an unsaved instance of
    a `workflow.models.StoredFile` model."""
    clean = clean_document(upload)
    attachment.original_name = clean.original_name
    attachment.content_type = clean.content_type
    attachment.size = clean.size
    attachment.uploaded_by = actor
    attachment.file.save(clean.content.name, clean.content, save=False)
    attachment.save()
    return attachment


def save_photo(photo, image: CleanFile, thumb: CleanFile, *, written=None):
    """Store a `clean_image` pair on `photo`, an unsaved instance of a `workflow.models.Photo`
    model, and save it. Each file stored is appended to `written`: files are not part of a
    transaction, so a caller that may roll back deletes them itself."""
    for field, clean in ((photo.image, image), (photo.thumb, thumb)):
        field.save(clean.content.name, clean.content, save=False)
        if written is not None:
            written.append(field)
    photo.save()
    return photo


def document_response(stored):
    """Serve a `workflow.models.StoredFile` as a download, under the name and type it was
    uploaded with."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


def image_response(field):
    """Serve a stored image that `clean_image` re-encoded (so PNG or JPEG, by its name), for
    the browser to keep privately a day; 404 when there is none."""
    if not field:
        raise Http404
    content_type = "image/png" if field.name.endswith(".png") else "image/jpeg"
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
