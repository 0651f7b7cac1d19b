from django.core.management.base import BaseCommand, CommandError

from backup import services
from backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "从备份目录恢复到当前配置的（空）数据库与媒体存储 / Restore a backup folder into the "
        "configured, empty database and media storage (MEDIA_ROOT or the S3 bucket), then check "
        "it against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and media storage that are not empty",
        )

    def handle(self, *args, folder, force, **options):
        try:
            report = services.restore_backup(folder, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
