"""The every-minute job failing background jobs whose worker died (workflow/reaper.py), and
whose run /readyz reads as the worker's and beat's heartbeat (editable afterwards in the
admin, under Periodic tasks)."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "中断任务清理（每分钟）"
TASK = "workflow.tasks.reap_stale_jobs"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "*", "*")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_heartbeat"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
