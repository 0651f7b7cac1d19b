"""The nightly recount of the stored compliance rollup: daily at 02:10, Asia/Shanghai
(editable in the admin, under Periodic tasks)."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "按期开展情况统计（每日 02:10）"
TASK = "ledger.tasks.refresh_compliance_snapshots"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "10", "2")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_compliance_snapshot"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
