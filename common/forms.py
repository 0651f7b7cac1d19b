"""Form bases every app's list pages share, and a bounded choice among many candidates."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .renderers import as_text

#: Bootstrap's class for a widget, by Django's `widget_type` (what crispy-forms would add).
WIDGET_CLASSES = {"select": "form-select", "selectmultiple": "form-select"}
CHECK_TYPES = {"checkbox", "radioselect", "checkboxselectmultiple"}


#: Markup of no value, safe (format_html wants an argument to escape).
REQUIRED = format_html('<span class="asteriskField">{}</span>', "*")
CLOSE = format_html("</{}>", "div")


class BarField(BoundField):
    """A filter bar's field: label, widget, errors, help, written by `bar_field_html` instead of
    crispy-forms' nest of includes (issue #19: crispy's templates were a quarter of a list
    page's CPU; the one small template that replaced them, still ~10 nodes a field, is now
    Python too). `{{ form.q.as_field_group }}` renders it; the widget gets Bootstrap's class
    and `is-invalid` from here."""

    def as_field_group(self):
        return bar_field_html(self)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        kind = self.widget_type
        if kind in CHECK_TYPES:
            bootstrap = "form-check-input"
        else:
            bootstrap = WIDGET_CLASSES.get(kind, "form-control")
        classes = [attrs.get("class") or widget.attrs.get("class", ""), bootstrap]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


def bar_field_html(field: BoundField) -> str:
    """A filter bar's field as crispy-forms' Bootstrap 5 field wrote it: a checkbox in a
    `form-check` with its label after it, any other widget after its label (`*` when
    required); then its errors and its help text. Every value is written as `{{ }}` would."""
    auto_id, check = as_text(field.auto_id), field.widget_type == "checkbox"
    label, widget = as_text(field.label), as_text(field)
    if check:
        parts = [
            format_html(
                '<div class="mb-3"><div id="div_{}" class="form-check">{}'
                '<label for="{}" class="form-check-label">{}</label>',
                auto_id,
                widget,
                as_text(field.id_for_label),
                label,
            )
        ]
    else:
        parts = [format_html('<div id="div_{}" class="mb-3">', auto_id)]
        if field.label:
            parts.append(
                format_html(
                    '<label for="{}" class="form-label">{}{}</label>',
                    as_text(field.id_for_label),
                    label,
                    REQUIRED if field.field.required else "",
                )
            )
        parts.append(widget)
    if field.errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback d-block">', auto_id))
        parts.extend(format_html("<p><strong>{}</strong></p>", as_text(e)) for e in field.errors)
        parts.append(CLOSE)
    if field.help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>',
                auto_id,
                as_text(field.help_text),
            )
        )
    parts.extend((CLOSE, CLOSE) if check else (CLOSE,))
    return format_html_join("", "{}", ((part,) for part in parts))


class FilterBar(forms.Form):
    """A GET form shown as a bar above a list: its fields render through `BarField`."""

    bound_field_class = BarField


class FilterForm(FilterBar):
    """A list page's filters (GET): `filters()` the cleaned values that were given; invalid
    input is ignored rather than failing the page."""

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class FetchedChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's choices read with one plain query. Django's iterator reads them
    through `QuerySet.iterator()`, on PostgreSQL a server-side cursor: `DECLARE … WITH HOLD`
    (the result materialized at commit), `FETCH`, `CLOSE` — three round trips for a dozen
    committees, ~1 ms of a list page (issue #19). Same choices, same order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class FetchedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose select lists its choices from one plain query
    (`FetchedChoiceIterator`); validation is Django's."""

    iterator = FetchedChoiceIterator


class CommitteeFilterForm(FilterForm):
    """Filters with a 市/直属党委 choice among `committees` (the ones the reader may see)."""

    city = FetchedModelChoiceField(
        label=_("市/直属党委"), required=False, queryset=None, empty_label=_("全部")
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = committees


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's "Uploading multiple files"); cleans to a list,
    each file cleaned as a FileField cleans one. Optional unless `required=True` (then at least
    one file)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


#: How many candidates a choice lists at once (a province has 100,000 branches); a search by
#: name narrows them down.
SHORTLIST_SIZE = 200
SEARCH_MAX_LENGTH = 60


@dataclass
class Shortlist:
    """The first `size` candidates in the queryset's order, `q` the search that found them,
    `more` whether further candidates exist (the page then says to search)."""

    rows: list
    more: bool
    q: str
    size: int


def shortlist(queryset, q, *fields, size=SHORTLIST_SIZE) -> Shortlist:
    """At most `size` rows of `queryset` (in its order) whose `fields` contain `q`, and whether
    there are more: one query, however many candidates there are."""
    q = (q or "").strip()[:SEARCH_MAX_LENGTH]
    if q:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in fields)))
    rows = list(queryset[: size + 1])
    return Shortlist(rows=rows[:size], more=len(rows) > size, q=q, size=size)


def offer_shortlist(form, name, shown: Shortlist):
    """Make the select of the ModelChoiceField `name` list only the `shown` rows, and the row
    chosen before (posted, or initial) first when it is not among them, so nothing typed is
    lost. What is posted is still checked against the field's whole queryset: a candidate
    found another way is accepted."""
    field = form.fields[name]
    value = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    value = getattr(value, "pk", value)
    rows = shown.rows
    if str(value or "").isdigit() and int(value) not in {r.pk for r in rows}:
        rows = [*field.queryset.filter(pk=value)[:1], *rows]
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(r.pk, field.label_from_instance(r)) for r in rows]
    form.shown = shown
