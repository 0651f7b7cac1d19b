from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = _("通报导出")

    def ready(self):
        from workflow import reaper

        from .services import job_kind

        reaper.register(job_kind())
