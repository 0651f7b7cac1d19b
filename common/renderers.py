"""The form renderer: Django's own (`DjangoTemplates`, the widget templates Django ships), with
one directory in front of them, `common/form_templates/`, for widget templates that render the
same HTML with less work (issue #19: a filter bar's selects rendered two `{% include %}`s per
option — a quarter of a list page's template time). tests/test_form_renderer.py checks that
every override renders what Django's template does."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

OVERRIDES = Path(__file__).resolve().parent / "form_templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [OVERRIDES, Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
