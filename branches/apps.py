from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("组织机构")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        # The idle clock starts at login, so the first page after it writes nothing.
        user_logged_in.connect(start_idle_clock, dispatch_uid="branches.start_idle_clock")
