"""common.renderers.FormRenderer renders every widget as Django's own renderer does: its
overrides (a select's options inlined) change the work, never the HTML."""

from django import forms
from django.forms.renderers import DjangoTemplates

from common.renderers import OVERRIDES, FormRenderer


class WithDisabled(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            option["attrs"]["disabled"] = True
        return option


class Radios(forms.RadioSelect):  # another option template: still included
    pass


CHOICES = [("", "全部"), ("a", "甲 <b>&"), ("b", "乙"), (3, "三")]
GROUPED = [("", "—"), ("组一", [("x", "X"), ("y", "Y")]), ("组二", [("z", "Z")]), ("w", "W")]


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES[1:])
    yes_no = forms.NullBooleanField()
    disabled = forms.ChoiceField(
        choices=CHOICES, widget=WithDisabled(attrs={"class": "form-select", "data-x": '"q"'})
    )
    off = forms.ChoiceField(choices=CHOICES, disabled=True)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=Radios)


def _rendered(renderer, data):
    form = Sample(data, renderer=renderer)
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


def test_the_overrides_render_what_django_does():
    assert (OVERRIDES / "django/forms/widgets/select.html").exists()
    for data in (None, {"plain": "a", "grouped": "y", "many": ["a", 3], "yes_no": "true"}):
        ours, django_s = _rendered(FormRenderer(), data), _rendered(DjangoTemplates(), data)
        assert ours == django_s
        assert "<option" in ours["plain"] and "disabled" in ours["disabled"]


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "common.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
