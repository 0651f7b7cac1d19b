"""The ledger's reminders before the end of a month / quarter / year: daily at 09:10,
Asia/Shanghai (editable in the admin, under Periodic tasks); each reminder is sent once."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "台账按期提醒（每日 09:10）"
TASK = "ledger.tasks.send_ledger_reminders"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "10", "9")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_work_list_schedule"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
