"""Backup and restore with the media on an S3-compatible store (a moto server the test starts):
the archive is read from the bucket through the storage API, and restored into a fresh bucket
where every stored file reference resolves with the same bytes."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from backup import media, services
from brands import services as brands
from tests.brands.conftest import CONTENT, png_upload
from tests.factories import Org


@pytest.fixture
def world(transactional_db, s3_storage, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    org = Org()
    secretary = org.users["secretary"]
    app = brands.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    brands.add_attachment(
        actor=secretary, application=app, upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF")
    )
    return app


def test_backup_reads_the_bucket_and_restores_into_a_fresh_one(world, s3_storage, settings):
    folder = services.make_backup()
    manifest = services.load_manifest(folder)
    assert manifest["media"]["files"] == 3 and manifest["missing_files"] == []
    originals = {}
    for name in manifest["file_references"]:
        with default_storage.open(name, "rb") as fh:
            originals[name] = fh.read()
    assert set(originals) == set(s3_storage.keys())

    s3_storage.bucket = "restored-" + s3_storage.bucket
    s3_storage.create_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": s3_storage.storage_options()},
    }
    assert media.is_empty(default_storage)
    assert media.extract(folder / services.ARCHIVE, default_storage) == 3
    assert not media.is_empty(default_storage)

    report = services.check(folder, manifest)
    assert report.ok, report.summary()
    assert s3_storage.keys() == sorted(originals)
    for name, data in originals.items():
        with default_storage.open(name, "rb") as fh:
            assert fh.read() == data, name
    # a second restore over the same bucket replaces the files under the same names
    assert media.extract(folder / services.ARCHIVE, default_storage) == 3
    assert s3_storage.keys() == sorted(originals)


def test_an_unsafe_name_in_the_archive_is_refused(tmp_path, s3_storage, settings):
    import io
    import tarfile

    from backup.errors import BackupError

    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"no"))
    with pytest.raises(BackupError, match="unsafe"):
        media.extract(archive, default_storage)
    assert s3_storage.keys() == []
