"""The form renderer: Django's own (`DjangoTemplates`, the widget templates Django ships), with
one directory in front of them, `common/form_templates/`, for widget templates that render the
same HTML with less work (issue #19: a filter bar's selects rendered two `{% include %}`s per
option — a quarter of a list page's template time). tests/test_form_renderer.py checks that
every override renders what Django's template does.

A select (`django/forms/widgets/select.html` with Django's option template) and the inputs
whose template is Django's `input.html` are written in Python (`select_html`, `input_html`),
the same text their templates write: a filter bar's widgets were still ~40 % of the review
queue's template time (issue #19: an `{% include %}`, a `{% for %}` and three variable nodes
per option and per attribute)."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeData

OVERRIDES = Path(__file__).resolve().parent / "form_templates"
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
#: Django's widget templates that are `{% include "django/forms/widgets/input.html" %}` alone.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in [
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)


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

    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUTS:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


#: What `{{ x }}` writes in a template rendered with a plain context: localized, escaped.
_PLAIN = Context()


def as_text(value) -> str:
    """`{{ value }}`: localized and escaped (kept as is when safe)."""
    return render_value_in_context(value, _PLAIN)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: `%s` of the value, escaped unless it was safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, none for
    False."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(
                f" {as_text(name)}" if value is True else f' {as_text(name)}="{_formatted(value)}"'
            )
    return "".join(out)


def select_html(widget) -> str | None:
    """What select.html (and select_option.html per option) render for this widget's context,
    stripped as the renderer strips it; None when an option has a template of its own."""
    out = [f'<select name="{as_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{as_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{as_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out).strip()


def input_html(widget) -> str:
    """What django/forms/widgets/input.html renders for this widget's context (stripped)."""
    value = widget["value"]
    # `!= None` as the template compares (a value equal to None is not written)
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711
    return (
        f'<input type="{as_text(widget["type"])}" name="{as_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )
