from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("支部台账")

    def ready(self):
        from workflow import reaper

        from .printing import tasks  # noqa: F401  (registers the print task with Celery)
        from .printing.services import job_kind

        reaper.register(job_kind())
