"""The media storage (Django's default storage: the local MEDIA_ROOT or an S3-compatible bucket)
as one tar.gz, and back. Only the storage API is used, so a backup reads and a restore writes
whichever storage the settings configure, and one taken from the disk restores into a bucket."""

import posixpath
import tarfile
import time
from pathlib import Path

from django.core.files import File

from .errors import BackupError


def stored_names(storage, folder: str = ""):
    """Every file name in `storage` under `folder`, depth first, in a stable order. A storage
    whose root does not exist yet (a fresh MEDIA_ROOT) holds nothing."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in sorted(files):
        yield posixpath.join(folder, filename) if folder else filename
    for sub in sorted(dirs):
        yield from stored_names(storage, posixpath.join(folder, sub) if folder else sub)


def archive(storage, target: Path) -> dict:
    """Every file of `storage`, under the name the storage (and so every row) gives it. A file
    deleted while the archive is written is skipped: the dump was taken first, so no row of it
    references a file removed since (README, "Backup and restore")."""
    names, size = [], 0
    now = int(time.time())
    with tarfile.open(target, "w:gz") as tar:
        for name in stored_names(storage):
            try:
                with storage.open(name, "rb") as fh:
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime, info.mode = storage.size(name), now, 0o644
                    tar.addfile(info, fh)
            except FileNotFoundError:
                continue
            names.append(name)
            size += info.size
    return {"names": names, "content_bytes": size}


def _safe(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts


def extract(archive_path: Path, storage) -> int:
    """Write every regular file of the archive into `storage` under its own name (replacing
    one already there, as a `--force` restore asks). An absolute name or `..` is refused, as
    tarfile's "data" filter would. Returns how many files."""
    count = 0
    with tarfile.open(archive_path, "r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            if not _safe(member.name):
                raise BackupError(
                    f"归档中的文件名不安全 / unsafe name in the archive: {member.name}"
                )
            if storage.exists(member.name):
                storage.delete(member.name)
            content = File(tar.extractfile(member), name=posixpath.basename(member.name))
            content.size = member.size
            saved = storage.save(member.name, content)
            if saved != member.name:
                raise BackupError(f"文件未能按原名恢复 / restored as {saved}, not {member.name}")
            count += 1
    return count


def is_empty(storage) -> bool:
    return next(stored_names(storage), None) is None


def describe(storage) -> str:
    """Where the media are, for messages: the folder, or the bucket."""
    location = getattr(storage, "location", None)
    bucket = getattr(storage, "bucket_name", None)
    return f"s3://{bucket}" if bucket else str(location or storage.__class__.__name__)
