"""Backup and restore (backup/): a backup restored into a fresh database and media folder
gives back every row and every file; a tampered backup, a non-empty target and the retention
are checked. The restores run in a subprocess with their own DATABASE_URL and MEDIA_ROOT, so
the test's own database is never touched."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from backup import services, tasks
from backup.errors import BackupError
from brands import services as brands
from tests.brands.conftest import CONTENT, png_upload
from tests.factories import Org
from tests.pgdb import throwaway_database

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    """A small province with a brand application, its logo (and thumbnail) and an attachment,
    committed (pg_dump and the SQLite copy see only committed rows)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    org = Org()
    secretary = org.users["secretary"]
    app = brands.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    brands.add_attachment(
        actor=secretary,
        application=app,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF"),
    )
    return app


def restore(folder, *, database_url, media_root, force=False):
    """`manage.py restore` in a subprocess configured for the target."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CACHE_URL")}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media_root))
    command = [sys.executable, "manage.py", "restore", str(folder)] + (["--force"] if force else [])
    return subprocess.run(  # noqa: S603 - our interpreter, our command
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_same_files(manifest, media_root):
    """Every referenced file is in the restored media folder with the same bytes."""
    from django.core.files.storage import default_storage

    assert len(manifest["file_references"]) == 3  # logo, its thumbnail, the attachment
    assert manifest["missing_files"] == []
    for name in manifest["file_references"]:
        with default_storage.open(name) as original:
            assert (media_root / name).read_bytes() == original.read(), name


def test_backup_writes_dump_archive_and_manifest(world, settings):
    call_command("backup")
    (folder,) = services.backups_in(settings.BACKUP_DIR)
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"]["brands.BrandApplication"] == 1
    assert manifest["row_counts"]["brands.Attachment"] == 1
    assert world.logo.name in manifest["file_references"]
    assert manifest["media"]["files"] == 3
    assert manifest["portal"]["version"] == "0.1.0"
    for part in ("database", "media"):
        assert manifest[part]["sha256"] == services.sha256(folder / manifest[part]["file"])
    assert not list(Path(settings.BACKUP_DIR).glob(".partial-*"))


def test_restore_into_a_fresh_sqlite_database_and_media_folder(world, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip (the PostgreSQL one is below)")
    folder = services.make_backup()
    manifest = services.load_manifest(folder)
    target, media2 = tmp_path / "restored.sqlite3", tmp_path / "media2"

    done = restore(folder, database_url=f"sqlite:///{target}", media_root=media2)

    assert done.returncode == 0, done.stderr
    assert "all row counts match" in done.stdout and "all resolve" in done.stdout
    with sqlite3.connect(target) as db:
        rows = db.execute("SELECT COUNT(*) FROM brands_brandapplication").fetchone()[0]
    assert rows == manifest["row_counts"]["brands.BrandApplication"] == 1
    assert_same_files(manifest, media2)

    again = restore(folder, database_url=f"sqlite:///{target}", media_root=media2)
    assert again.returncode != 0
    assert "not empty" in again.stderr
    forced = restore(folder, database_url=f"sqlite:///{target}", media_root=media2, force=True)
    assert forced.returncode == 0, forced.stderr


def test_restore_into_a_throwaway_postgresql_database(world, postgres, settings, tmp_path):
    import psycopg2

    folder = services.make_backup()
    manifest = services.load_manifest(folder)
    with throwaway_database("restore_test") as database:
        url = database.url
        done = restore(folder, database_url=url, media_root=tmp_path / "media2")
        assert done.returncode == 0, done.stderr
        assert "all row counts match" in done.stdout and "all resolve" in done.stdout
        with (
            psycopg2.connect(dbname=database.name, **database.server) as restored,
            restored.cursor() as cursor,
        ):
            cursor.execute("SELECT COUNT(*) FROM brands_attachment")
            assert cursor.fetchone()[0] == manifest["row_counts"]["brands.Attachment"] == 1
        restored.close()
        assert_same_files(manifest, tmp_path / "media2")
        refused = restore(folder, database_url=url, media_root=tmp_path / "media3")
        assert refused.returncode != 0 and "not empty" in refused.stderr


def test_a_tampered_archive_is_refused_before_anything_is_touched(world, tmp_path):
    folder = services.make_backup()
    archive = folder / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    target = tmp_path / "restored.sqlite3"

    done = restore(folder, database_url=f"sqlite:///{target}", media_root=tmp_path / "media2")

    assert done.returncode != 0
    assert "sha256 mismatch" in done.stderr and "media.tar.gz" in done.stderr
    assert not (tmp_path / "media2").exists()
    with pytest.raises(BackupError, match="sha256"):
        services.restore_backup(folder)  # in-process too: refused before the database


def test_a_missing_file_on_restore_is_a_mismatch(world, settings):
    """The check after a restore: a referenced file that does not resolve fails it."""
    folder = services.make_backup()
    manifest = services.load_manifest(folder)
    assert services.check(folder, manifest).ok
    (Path(settings.MEDIA_ROOT) / world.logo.name).unlink()
    report = services.check(folder, manifest)
    assert not report.ok and report.unresolved == [world.logo.name]
    assert world.logo.name in report.summary()


def test_a_failed_run_leaves_no_half_backup_and_raises(world, settings, monkeypatch):
    from backup import media

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(media, "archive", broken)
    with pytest.raises(OSError, match="disk full"):
        services.make_backup()
    assert list(Path(settings.BACKUP_DIR).iterdir()) == []
    settings.BACKUP_SCHEDULED = True
    with pytest.raises(OSError, match="disk full"):  # the scheduled run fails visibly
        tasks.run_backup.apply(throw=True)
    assert list(Path(settings.BACKUP_DIR).iterdir()) == []


def test_retention_keeps_the_newest_n(world, settings):
    settings.BACKUP_KEEP = 2
    made = []
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2030, 5, day, 2, 30, tzinfo=SHANGHAI)):
            made.append(services.make_backup())
    assert services.backups_in(settings.BACKUP_DIR) == made[1:]
    assert [p.name for p in made] == [f"portal-2030050{d}-023000" for d in (1, 2, 3)]


def test_the_scheduled_task_backs_up_only_where_backup_dir_is_set(world, settings):
    settings.BACKUP_SCHEDULED = False
    assert tasks.run_backup.apply().get() is None
    assert not Path(settings.BACKUP_DIR).exists()
    settings.BACKUP_SCHEDULED = True
    folder = Path(tasks.run_backup.apply().get())
    assert services.backups_in(settings.BACKUP_DIR) == [folder]


def test_the_daily_schedule_is_shipped_at_0230_before_the_exports_purge(db):
    from django_celery_beat.models import PeriodicTask

    backup = PeriodicTask.objects.get(task="backup.tasks.run_backup")
    purge = PeriodicTask.objects.get(task="evaluation.tasks.purge_results_exports")
    assert backup.enabled
    assert (backup.crontab.hour, backup.crontab.minute) == ("2", "30")
    assert str(backup.crontab.timezone) == "Asia/Shanghai" == str(purge.crontab.timezone)
    assert (purge.crontab.hour, purge.crontab.minute) == ("3", "30")
