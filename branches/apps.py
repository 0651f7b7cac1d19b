from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("组织机构")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from workflow import scheduled

        from . import access, selectors
        from .middleware import start_idle_clock

        # Who is told when a scheduled job fails, and may see the page of scheduled jobs.
        scheduled.register_administrators(access.administrators, selectors.is_administrator)

        # The idle clock starts at login, so the first page after it writes nothing.
        user_logged_in.connect(start_idle_clock, dispatch_uid="branches.start_idle_clock")
