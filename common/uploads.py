"""Validation of uploaded files, shared by every app that accepts them.

Types are decided by content, never by the file name or the browser's content type; images are
decoded and re-encoded by Pillow (which drops anything hidden in them); stored names are random.

Files are written and read through Django's storage API only (`store`, `open_stored`): the
local MEDIA_ROOT or an S3-compatible bucket, whichever the settings configure. A storage that
cannot be written is a refusal (`StorageUnavailable`, a DomainError shown on the form, which
keeps what was typed); a stored file that has vanished is `FileMissing`, answered with a page
that says so (`common.middleware.StoredFileErrorsMiddleware`), not a generic 404.
"""

import io
import logging
import uuid
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import DomainError

log = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it cannot be reached or written: OSError from the disk
    (read-only, full, missing), botocore's and boto3's errors from an S3 store."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError, Boto3Error]
    except ImportError:  # django-storages[s3] not installed: the disk only
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


class StorageUnavailable(DomainError, ValidationError):
    """The media storage could not be written or read; nothing was saved. Also a
    ValidationError, so every view that shows a form's refusals (they all catch
    ValidationError, most with the file field) puts it on the form, with what was typed."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "文件存储暂时不可用，文件未能保存，本次操作未生效；您填写的内容仍在表单中，请稍后重试（文件需重新选择）。"
            )
        )


class FileMissing(Http404):
    """A file a record names is no longer in the storage."""


def store(field, content, *, written=None):
    """Write `content` (a ContentFile) into the file field `field` through its storage, under
    the content's name, without saving the row. Each file stored is appended to `written`, so
    a caller that fails later can `discard` them. A storage that refuses the write raises
    StorageUnavailable (logged with the cause, which the user does not need)."""
    try:
        field.save(content.name, content, save=False)
    except STORAGE_ERRORS as exc:
        log.warning("media storage refused %s: %r", content.name, exc)
        raise StorageUnavailable from exc
    if written is not None:
        written.append(field)
    return field


def discard(fields) -> None:
    """Delete the files `store` wrote for a change that did not happen; a storage still down
    leaves them (unreferenced, harmless) rather than hiding the original error."""
    for field in fields:
        try:
            field.storage.delete(field.name)
        except STORAGE_ERRORS as exc:
            log.warning("could not remove unreferenced %s: %r", field.name, exc)


def store_all(pairs) -> None:
    """`store` each (field, content) of `pairs`, all or nothing: when one fails, the ones
    already written are deleted and StorageUnavailable raised."""
    written = []
    try:
        for field, content in pairs:
            store(field, content, written=written)
    except StorageUnavailable:
        discard(written)
        raise


def open_stored(field):
    """`field`'s file opened for reading through its storage; FileMissing when the record
    names a file the storage no longer has, StorageUnavailable when the storage is down."""
    if not field:
        raise Http404
    try:
        return field.open("rb")
    except FileNotFoundError as exc:
        log.warning("stored file missing: %s", field.name)
        raise FileMissing(field.name) from exc
    except STORAGE_ERRORS as exc:
        log.warning("media storage unreadable for %s: %r", field.name, exc)
        raise StorageUnavailable(_("文件存储暂时不可用，请稍后重试。")) from exc


def files_missing(*fields) -> bool:
    """Whether any of these stored files (the non-empty ones) has vanished from the storage.
    A storage that cannot be asked counts as "not known to be missing"."""
    for field in fields:
        if not field:
            continue
        try:
            if not field.storage.exists(field.name):
                return True
        except STORAGE_ERRORS:
            return False
    return False


IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
#: The extensions that name each accepted image format truthfully.
IMAGE_EXTENSIONS = {"PNG": ("png",), "JPEG": ("jpg", "jpeg"), "GIF": ("gif",), "WEBP": ("webp",)}
MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
LOGO_MAX_SIDE = 1024
PHOTO_MAX_SIDE = 2048  # activity and site-visit photos keep enough detail to print
THUMB_SIDE = 240

OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


#: Legacy (OLE2) Office files are not told apart by their content here: the client's extension
#: is kept when it is one of these, with its type; any other name becomes .bin.
LEGACY_OFFICE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    content_type: str
    original_name: str  # the client's name with the extension of the detected content
    size: int
    renamed_from: str = ""  # the client's name, when its extension did not match the content


def with_extension(name: str, ext: str) -> str:
    """`name` with the extension `ext` (the content's), replacing the one it came with."""
    stem, dot, old = name.rpartition(".")
    if not dot or not stem or len(old) > 8:
        stem = name
    return f"{stem[: 100 - len(ext) - 1]}.{ext}"


def uploaded_message(stored, done: str) -> str:
    """What to tell the uploader: `done`, and, when the file's name did not match what it
    holds, under which name it was kept (downloads use that name and the content's type)."""
    renamed_from = getattr(stored, "renamed_from", "")
    if not renamed_from:
        return done
    return _("%(done)s 文件“%(old)s”的内容与扩展名不符，已按内容保存为“%(new)s”。") % {
        "done": done,
        "old": renamed_from,
        "new": stored.original_name,
    }


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


#: A logo as uploaded: a phone photo (3–8 MB) is fine, it is re-encoded to LOGO_MAX_SIDE.
LOGO_MAX_BYTES = 10 * 1024 * 1024


def clean_image(
    upload, *, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE
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


#: A photo of an activity or a meeting: at most this large as uploaded (it is re-encoded).
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _clean_each(uploads, clean, describe, field):
    """`clean` every upload, all or nothing: each one that fails is described (`describe(n,
    upload, error)`) in one ValidationError on `field`, so the person sees at once which to
    replace."""
    cleaned, problems = [], []
    for number, upload in enumerate(uploads, 1):
        try:
            cleaned.append(clean(upload))
        except ValidationError as exc:
            problems.append(describe(number, upload, _("；").join(exc.messages)))
    if problems:
        raise ValidationError({field: problems})
    return cleaned


def clean_photos(uploads, *, field="photos") -> list[tuple[CleanFile, CleanFile]]:
    """Validate and re-encode a batch of photos (`clean_image` at PHOTO_MAX_SIDE), all or
    nothing; a photo that fails is named by its number and name."""
    return _clean_each(
        uploads,
        lambda upload: clean_image(upload, max_bytes=PHOTO_MAX_BYTES, max_side=PHOTO_MAX_SIDE),
        lambda n, upload, error: (
            _("第 %(n)d 张照片（%(name)s）：%(error)s")
            % {"n": n, "name": upload.name, "error": error}
        ),
        field,
    )


def clean_documents(uploads, *, field="attachments") -> list[CleanFile]:
    """Validate a batch of documents (`clean_document`), all or nothing; a file that fails is
    named."""
    return _clean_each(
        uploads,
        clean_document,
        lambda n, upload, error: _("%(name)s：%(error)s") % {"name": upload.name, "error": error},
        field,
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
    scripts, archives), whatever the file is called. The kept name takes the extension of the
    content: a PDF uploaded as report.html is report.pdf."""
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
        claimed_ok = name.rpartition(".")[2].lower() in IMAGE_EXTENSIONS.get(image.format, ())
        data, ext, ctype = _encode(image, PHOTO_MAX_SIDE)
    else:
        ext, ctype = kind
        claimed_ok = False
    if ext == "bin":
        claimed = name.rpartition(".")[2].lower()
        if claimed in LEGACY_OFFICE:
            ext, ctype = claimed, LEGACY_OFFICE[claimed]
    kept = name if name.lower().endswith(f".{ext}") else with_extension(name, ext)
    # An image named for what it was (photo.png) is only re-encoded (photo.jpg): no mismatch.
    renamed_from = "" if kept == name or claimed_ok else name
    return CleanFile(
        ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), ctype, kept, len(data), renamed_from
    )


def save_document(attachment, upload, *, actor):
    """Validate `upload` (clean_document) and store it on `attachment`, an unsaved instance of
    a `workflow.models.StoredFile` model."""
    clean = clean_document(upload)
    attachment.original_name = clean.original_name
    attachment.content_type = clean.content_type
    attachment.size = clean.size
    attachment.uploaded_by = actor
    store(attachment.file, clean.content)
    try:
        attachment.save()
    except BaseException:
        discard([attachment.file])
        raise
    attachment.renamed_from = clean.renamed_from  # for `uploaded_message`, not stored
    return attachment


def save_photo(photo, image: CleanFile, thumb: CleanFile, *, written=None):
    """Store a `clean_image` pair on `photo`, an unsaved instance of a `workflow.models.Photo`
    model, and save it. Each file stored is appended to `written`: files are not part of a
    transaction, so a caller that may roll back deletes them itself."""
    pairs = ((photo.image, image.content), (photo.thumb, thumb.content))
    store_all(pairs)
    if written is not None:
        written += [photo.image, photo.thumb]
    photo.save()
    return photo


def document_response(stored):
    """Serve a `workflow.models.StoredFile` as a download, under its name with the extension of
    its content (the stored file's, decided at upload: files kept before that rule get it too)
    and the type detected then."""
    ext = stored.file.name.rpartition(".")[2].lower()
    name = stored.original_name
    if ext and ext != "bin" and not name.lower().endswith(f".{ext}"):
        name = with_extension(name, ext)
    return FileResponse(
        open_stored(stored.file),
        as_attachment=True,
        filename=name,
        content_type=stored.content_type,
    )


def image_response(field):
    """Serve a stored image that `clean_image` re-encoded (so PNG or JPEG, by its name), for
    the browser to keep privately a day; 404 when there is none."""
    if not field:
        raise Http404
    content_type = "image/png" if field.name.endswith(".png") else "image/jpeg"
    response = FileResponse(open_stored(field), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
