from django.core.management.base import BaseCommand, CommandError

from backup import services
from backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "备份数据库与媒体文件到 BACKUP_DIR 下的新目录 / Back up the database and the media "
        "folder into a new folder of BACKUP_DIR (dump, media.tar.gz, manifest.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="instead of BACKUP_DIR")
        parser.add_argument("--keep", type=int, help="backups kept (default BACKUP_KEEP)")

    def handle(self, *args, dir=None, keep=None, **options):
        try:
            folder = services.make_backup(target_dir=dir, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = services.load_manifest(folder)
        self.stdout.write(
            f"备份完成 / Backup complete: {folder}\n"
            f"  数据库 / database: {m['database']['engine']} {m['database']['bytes']:,} bytes, "
            f"{sum(m['row_counts'].values()):,} rows in {len(m['row_counts'])} models\n"
            f"  媒体 / media: {m['media']['files']} files, {m['media']['bytes']:,} bytes archived; "
            f"{len(m['file_references'])} referenced\n"
            f"  用时 / took {m['seconds']} s"
        )
        if m["missing_files"]:
            self.stderr.write(
                f"  警告 / warning: {len(m['missing_files'])} referenced files were already "
                "missing from the media folder: " + ", ".join(m["missing_files"][:20])
            )
