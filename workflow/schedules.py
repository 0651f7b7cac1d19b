"""Helper for data migrations that ship default django-celery-beat schedules."""

TIME_ZONE = "Asia/Shanghai"


def ensure_schedule(apps, name, task, minute, hour, day_of_month="*"):
    """Create the periodic task once; never overwrite what an admin has changed since."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year="*",
        day_of_week="*",
        timezone=TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})
