from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("梯队跟进与整改")

    def ready(self):
        from evaluation.signals import results_published

        results_published.connect(_results_published, dispatch_uid="rectification.follow_up")

        from branches.signals import subtree_moved

        subtree_moved.connect(_units_moved, dispatch_uid="rectification.reviewing_levels")


def _results_published(sender, period, scope_path, **kwargs):
    """Tier 3 opens a rectification plan, tier 1 invites to file a brand (`follow_up`)."""
    from .follow_up import follow_up_results

    follow_up_results(period, scope_path)


def _units_moved(sender, path, **kwargs):
    """A moved branch's open plans go to its new first approval level."""
    from .follow_up import sync_reviewing_levels

    sync_reviewing_levels(path)
