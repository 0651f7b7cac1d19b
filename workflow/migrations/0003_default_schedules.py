"""The shipped schedules (editable afterwards in the admin, under Periodic tasks).
Other apps add theirs in their own migrations with `workflow.schedules.ensure_schedule`."""

from django.db import migrations

from workflow.schedules import ensure_schedule

DEFAULTS = [
    # name, task, crontab (minute, hour, day_of_month)
    ("截止提醒（每日）", "workflow.tasks.send_deadline_reminders", ("0", "9", "*")),
    ("到期关闭窗口（每小时）", "workflow.tasks.close_windows", ("5", "*", "*")),
    ("通知邮件每日汇总", "workflow.tasks.send_daily_digests", ("0", "18", "*")),
    ("补发未送出的通知邮件", "workflow.tasks.send_pending_emails", ("*/15", "*", "*")),
]


def add_defaults(apps, schema_editor):
    for name, task, cron in DEFAULTS:
        ensure_schedule(apps, name, task, *cron)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_reminder_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
