"""Backup and restore of the database and the media storage, kept consistent by one manifest.

`make_backup` writes one folder per run under settings.BACKUP_DIR: the database dump first,
then the media archive (so every file a dumped row references existed when it was archived),
then `manifest.json` (row counts, referenced file names, sizes, sha256). It writes into a
hidden temporary folder renamed into place when complete: a failed run leaves no half backup
and raises. `restore_backup` verifies the sha256s, refuses a non-empty target without `force`,
restores both, and checks the result against the manifest."""

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from . import database, inventory, media
from .errors import BackupError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
ARCHIVE = "media.tar.gz"
PREFIX = "portal-"
PARTIAL = ".partial-"
FORMAT = 1
#: A temporary folder this old is what a killed run left behind (no run takes an hour).
STALE_PARTIAL_SECONDS = 24 * 3600


def make_backup(*, target_dir=None, keep=None) -> Path:
    """Back up into a new folder of `target_dir` (settings.BACKUP_DIR), then keep only the
    newest `keep` (settings.BACKUP_KEEP) backups there. Returns the new folder."""
    root = Path(target_dir or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    media_root = getattr(default_storage, "location", None)  # None: not on this disk (S3)
    if keep < 1:
        raise BackupError(f"BACKUP_KEEP 至少为 1 / BACKUP_KEEP must be at least 1, not {keep}")
    if media_root and root.resolve().is_relative_to(Path(media_root).resolve()):
        raise BackupError(
            "BACKUP_DIR 不能位于 MEDIA_ROOT 内 / BACKUP_DIR must not be in MEDIA_ROOT"
        )
    root.mkdir(parents=True, exist_ok=True)
    started, clock = timezone.now(), time.monotonic()
    name = PREFIX + timezone.localtime(started).strftime("%Y%m%d-%H%M%S")
    partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{name}-", dir=root))
    try:
        dump_file = database.DUMP_FILES[database.engine()]
        figures = database.dump(partial / dump_file, inventory.read)
        archived = media.archive(default_storage, partial / ARCHIVE)
        archived_names = set(archived["names"])
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "seconds": None,
            "portal": portal_version(),
            "database": {
                "engine": database.engine(),
                "server_version": database.server_version(),
                **_file_entry(partial / dump_file),
            },
            "media": {
                **_file_entry(partial / ARCHIVE),
                "files": len(archived_names),
                "content_bytes": archived["content_bytes"],
            },
            "row_counts": figures["row_counts"],
            "file_references": figures["file_references"],
            # referenced by a row but absent from the media storage already when backed up
            "missing_files": [n for n in figures["file_references"] if n not in archived_names],
        }
        manifest["seconds"] = round(time.monotonic() - clock, 2)
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        final = _free_name(root, name)
        os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if manifest["missing_files"]:
        log.warning("backup %s: %d referenced files missing", final, len(manifest["missing_files"]))
    log.info(
        "backup %s db=%s bytes media=%s bytes seconds=%s",
        final,
        manifest["database"]["bytes"],
        manifest["media"]["bytes"],
        manifest["seconds"],
    )
    prune(root, keep)
    return final


def _free_name(root: Path, name: str) -> Path:
    candidate, n = root / name, 1
    while candidate.exists():  # a second run within the same second
        n += 1
        candidate = root / f"{name}-{n}"
    return candidate


def _file_entry(path: Path) -> dict:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": sha256(path)}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backups_in(root: Path) -> list[Path]:
    """The complete backups in `root` (a manifest written), oldest first."""
    found = []
    for folder in Path(root).glob(f"{PREFIX}*"):
        if (folder / MANIFEST).is_file():
            found.append((load_manifest(folder)["created_at"], folder.name, folder))
    return [folder for *_key, folder in sorted(found)]


def prune(root: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups, and temporary folders a killed run left."""
    removed = backups_in(root)[:-keep]
    for folder in removed:
        shutil.rmtree(folder)
    for folder in Path(root).glob(f"{PARTIAL}*"):
        if time.time() - folder.stat().st_mtime > STALE_PARTIAL_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
    return removed


def portal_version() -> dict:
    """The version in pyproject.toml and the commit (PORTAL_COMMIT, else git when present)."""
    base = Path(settings.BASE_DIR)
    try:
        version = tomllib.loads((base / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, ValueError):
        version = None
    commit = os.environ.get("PORTAL_COMMIT")
    git = shutil.which("git")
    if not commit and git and (base / ".git").exists():
        try:
            commit = subprocess.run(  # noqa: S603 - git found on PATH, fixed arguments
                [git, "-C", str(base), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = None
    return {"version": version, "commit": commit or None}


def load_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取清单 / cannot read {MANIFEST} in {folder}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"未知的备份格式 / unknown backup format: {manifest.get('format')}")
    return manifest


def verify_checksums(folder: Path, manifest: dict) -> None:
    for part in ("database", "media"):
        path = Path(folder) / manifest[part]["file"]
        if not path.is_file():
            raise BackupError(f"缺少文件 / missing file: {path}")
        if sha256(path) != manifest[part]["sha256"]:
            raise BackupError(f"sha256 校验失败，文件已损坏或被改动 / sha256 mismatch: {path}")


@dataclass
class RestoreReport:
    folder: Path
    models: int = 0
    files_restored: int = 0
    references: int = 0
    #: (label, rows in the manifest, rows now)
    mismatched: list = field(default_factory=list)
    #: referenced now but not listed in the manifest, or the other way round
    references_differ: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)
    #: unresolved, but already missing from the media folder when the backup was taken
    missing_at_backup: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.mismatched or self.references_differ or self.unresolved)

    def summary(self) -> str:
        lines = [
            (
                "恢复完成 / Restore complete: "
                if self.ok
                else "恢复后校验不一致 / Restore MISMATCH: "
            )
            + str(self.folder),
            f"  数据表 / models: {self.models}, "
            + (
                "行数全部一致 / all row counts match"
                if not self.mismatched
                else "行数不一致 / differ:"
            ),
        ]
        lines += [
            f"    {label}: 备份/backup {want}, 现在/now {got}"
            for label, want, got in self.mismatched
        ]
        lines.append(
            f"  文件 / files restored: {self.files_restored}; "
            f"引用 / references: {self.references}, "
            + ("全部可读取 / all resolve" if not self.unresolved else "无法读取 / unresolved:")
        )
        lines += [f"    {name}" for name in self.unresolved]
        lines += [f"    引用不一致 / reference differs: {name}" for name in self.references_differ]
        if self.missing_at_backup:
            lines.append("  备份时已缺失的文件 / already missing when backed up:")
            lines += [f"    {name}" for name in self.missing_at_backup]
        return "\n".join(lines)


def restore_backup(folder, *, force=False) -> RestoreReport:
    """Restore `folder` into the configured database and media storage (MEDIA_ROOT or the
    bucket), which must be empty unless `force`; the sha256s are verified before anything is
    touched."""
    folder = Path(folder)
    manifest = load_manifest(folder)
    verify_checksums(folder, manifest)
    if manifest["database"]["engine"] != database.engine():
        raise BackupError(
            f"备份来自 {manifest['database']['engine']}，目标是 {database.engine()} / "
            "the backup is of another database engine"
        )
    if not force and not database.is_empty():
        raise BackupError("目标数据库非空 / the target database is not empty (--force replaces it)")
    if not force and not media.is_empty(default_storage):
        where = media.describe(default_storage)
        raise BackupError(f"媒体存储非空 / the media storage is not empty: {where} (--force)")
    database.restore(folder / manifest["database"]["file"], force=force)
    files = media.extract(folder / ARCHIVE, default_storage)
    report = check(folder, manifest)
    report.files_restored = files
    return report


def check(folder: Path, manifest: dict) -> RestoreReport:
    """Compare the configured database and media storage with the manifest."""
    with connection.cursor() as cursor:
        counts = inventory.row_counts(cursor, labels=manifest["row_counts"])
        references = inventory.file_references(cursor)
    expected = set(manifest["file_references"])
    missing_then = set(manifest.get("missing_files", []))
    unresolved = [n for n, storage in references.items() if not storage.exists(n)]
    return RestoreReport(
        folder=folder,
        models=len(counts),
        references=len(references),
        mismatched=[
            (label, rows, counts[label])
            for label, rows in manifest["row_counts"].items()
            if counts[label] != rows
        ],
        references_differ=sorted(expected.symmetric_difference(references)),
        unresolved=[n for n in unresolved if n not in missing_then],
        missing_at_backup=[n for n in unresolved if n in missing_then],
    )
