from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("品牌创建")

    def ready(self):
        from branches.signals import subtree_moved

        subtree_moved.connect(_units_moved, dispatch_uid="brands.cluster_strays")


def _units_moved(sender, path, **kwargs):
    """A 1+N cluster holds only brands of its lead's subtree (brands/clusters.py)."""
    from .clusters import drop_strays

    drop_strays(path)
