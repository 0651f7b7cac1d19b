from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("考核评价")

    def ready(self):
        from branches.signals import subtree_moved

        subtree_moved.connect(_units_moved, dispatch_uid="evaluation.sync_committees")

        from workflow import reaper

        from .services.exports import job_kind

        reaper.register(job_kind())


def _units_moved(sender, path, **kwargs):
    """Assessments carry their unit's committee (`Assessment.committee`)."""
    from .services.assessments import sync_committees

    sync_committees(path)
