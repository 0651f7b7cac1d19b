"""The annual work lists' job: 00:30 on the 1st of each month, Asia/Shanghai (editable in the
admin, under Periodic tasks). On 1 January it creates the year's lists; the monthly reruns add
lists for branches and templates created since (generation is idempotent)."""

from django.db import migrations

from workflow.schedules import ensure_schedule

NAME = "年度工作清单生成（每月1日 00:30）"
TASK = "ledger.tasks.generate_work_lists"


def add_schedule(apps, schema_editor):
    ensure_schedule(apps, NAME, TASK, "30", "0", day_of_month="1")


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_worktask"),
        ("workflow", "0003_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
