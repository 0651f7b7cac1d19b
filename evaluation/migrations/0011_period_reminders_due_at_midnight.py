"""A period's fill window now ends at the next local midnight (`workflow.windows.
end_of_local_day`), one second after the 23:59:59 its reminders were logged with. The reminder
log's unique key includes `due_at`, so the reminders and "填报已截止" notices already sent
would not be recognised and would go out a second time; their `due_at` moves on by that
second."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F

SECOND = timedelta(seconds=1)


def _period_reminders(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReminderLog = apps.get_model("workflow", "ReminderLog")
    ct = ContentType.objects.filter(app_label="evaluation", model="assessmentperiod").first()
    return ReminderLog.objects.filter(content_type_id=ct.pk) if ct else ReminderLog.objects.none()


def forwards(apps, schema_editor):
    _period_reminders(apps).filter(due_at__second=59).update(due_at=F("due_at") + SECOND)


def backwards(apps, schema_editor):
    _period_reminders(apps).filter(due_at__second=0).update(due_at=F("due_at") - SECOND)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluation", "0010_assessment_autovacuum"),
        ("workflow", "0002_reminder_log"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
