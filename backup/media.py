"""The media folder as one tar.gz, and back."""

import os
import tarfile
from pathlib import Path


def archive(media_root: Path, target: Path) -> dict:
    """Every regular file under `media_root`, named relative to it (as the storage names
    them). A file deleted while the archive is written is skipped: the dump was taken first,
    so no row of it references a file removed since (README, "Backup and restore")."""
    names, size = [], 0
    with tarfile.open(target, "w:gz") as tar:
        for folder, dirs, files in os.walk(media_root):  # symbolic links are not followed
            dirs.sort()
            for filename in sorted(files):
                path = Path(folder, filename)
                name = path.relative_to(media_root).as_posix()
                try:
                    info = tar.gettarinfo(path, arcname=name)
                    if not info.isfile():
                        continue
                    with path.open("rb") as fh:
                        tar.addfile(info, fh)
                except FileNotFoundError:
                    continue
                names.append(name)
                size += info.size
    return {"names": names, "content_bytes": size}


def extract(archive_path: Path, media_root: Path) -> int:
    """Unpack into `media_root`; the "data" filter refuses absolute names, `..` and links
    pointing outside. Returns how many files."""
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        tar.extractall(media_root, members=members, filter="data")
    return len(members)


def is_empty(media_root: Path) -> bool:
    return not media_root.is_dir() or not any(media_root.iterdir())
