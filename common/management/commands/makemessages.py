"""`makemessages`, also collecting the strings marked with `_lazy`.

The apps import `gettext_lazy as _lazy` where `_` is already `gettext` (module-level labels
beside messages built at run time); xgettext knows only the standard names, so without this
those labels silently fall out of the catalog and show in Chinese in the English UI."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
