"""The schedules' job: hourly at :05, Asia/Shanghai (editable afterwards in the admin, under
Periodic tasks). Hourly, not daily, so a month opens within the hour of its first local
minute and a missed run (a worker down) is made up the next hour."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "考评日程：按时创建考评周期与汇总（每小时）"
TASK = "evaluation.tasks.run_schedules"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "5", "*")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0013_schedules"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
