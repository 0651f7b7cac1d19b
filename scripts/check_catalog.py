#!/usr/bin/env python
"""Fail when the English catalog lacks a message the code now uses.

    .venv/bin/python scripts/check_catalog.py

Runs makemessages (the project's flags, see the header of locale/en/LC_MESSAGES/django.po)
and lists the messages it would add, or would leave untranslated or fuzzy; the catalog is
restored afterwards, whatever happens. tests/test_i18n.py checks the committed catalog
itself; this checks that it is complete for the code. Needs GNU gettext (xgettext)."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PO = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "static/vendor", "staticfiles", "bench", "build", "test-artifacts"]


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from tests.test_i18n import read_po

    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy2(PO, saved)
        try:
            call_command("makemessages", locale=["en"], ignore_patterns=IGNORE, verbosity=0)
            entries = read_po(PO)
        finally:
            shutil.copy2(saved, PO)
    missing = [
        e["msgid"]
        for e in entries
        if e["msgid"] and ("fuzzy" in e["flags"] or not all(e["msgstr"].values()))
    ]
    for msgid in missing:
        print(f"not translated: {msgid!r}")
    print(f"{len(entries)} messages, {len(missing)} not translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
