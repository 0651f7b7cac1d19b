"""The daily job deleting results exports finished more than 30 days ago: 03:30,
Asia/Shanghai (editable afterwards in the admin, under Periodic tasks)."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "过期考评导出清理（每日 03:30）"
TASK = "evaluation.tasks.purge_results_exports"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "30", "3")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_background_job"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
