"""The daily backup at 02:30 Asia/Shanghai, an hour before the 03:30 exports purge (editable
afterwards in the admin, under Periodic tasks). Shipped enabled: the task itself does nothing
where BACKUP_DIR is not set (backup/tasks.py), so only production backs up on schedule."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "数据库与媒体文件备份（每日 02:30）"
TASK = "backup.tasks.run_backup"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "30", "2")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
