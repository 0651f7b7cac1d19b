"""The monthly bulletin job: 08:00 on the 1st, Asia/Shanghai, for the month just ended
(editable afterwards in the admin, under Periodic tasks)."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "月度通报生成（每月1日 08:00）"
TASK = "bulletins.tasks.generate_monthly_bulletins"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "0", "8", day_of_month="1")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0001_initial"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
