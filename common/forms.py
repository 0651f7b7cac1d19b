"""Form bases every app's list pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FilterForm(forms.Form):
    """A list page's filters (GET): `filters()` the cleaned values that were given; invalid
    input is ignored rather than failing the page."""

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class CommitteeFilterForm(FilterForm):
    """Filters with a 市/直属党委 choice among `committees` (the ones the reader may see)."""

    city = forms.ModelChoiceField(
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
