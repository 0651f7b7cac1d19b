"""common.renderers.FormRenderer renders every widget as Django's own renderer does: its
overrides (a select's options inlined; selects and inputs written in Python) change the work,
never the HTML."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.html import format_html

from common.forms import FilterBar
from common.renderers import OVERRIDES, FormRenderer


class WithDisabled(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            option["attrs"]["disabled"] = True
        return option


class Radios(forms.RadioSelect):  # another option template: still included
    pass


class OwnOption(forms.Select):  # an option template of its own: the select's template renders
    option_template_name = "django/forms/widgets/radio_option.html"


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
    own_option = forms.ChoiceField(choices=CHOICES, widget=OwnOption, required=False)
    safe = forms.ChoiceField(
        choices=[(format_html("<i>{}</i>", "&"), format_html("<b>{}</b>", "<x>")), (2026, 2026)],
        required=False,
    )
    text = forms.CharField(
        initial='a "b" <c>',
        widget=forms.TextInput(attrs={"placeholder": "名 & 姓", "class": "form-control"}),
    )
    number = forms.IntegerField(initial=3, min_value=0)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    check = forms.BooleanField(required=False)
    many_hidden = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.MultipleHiddenInput, required=False
    )
    upload = forms.FileField(required=False)


def _rendered(renderer, data):
    form = Sample(data, renderer=renderer)
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


def test_the_overrides_render_what_django_does():
    assert (OVERRIDES / "django/forms/widgets/select.html").exists()
    filled = {"plain": "a", "grouped": "y", "many": ["a", 3], "yes_no": "true", "safe": "2026"}
    filled |= {"text": 'x"<y>&', "number": "-1", "hidden": "h&", "day": "2026-12-06"}
    filled |= {"check": "on", "many_hidden": ["a", "b"], "own_option": "b"}
    for data in (None, filled, {"number": "x", "day": "no"}):
        ours, django_s = _rendered(FormRenderer(), data), _rendered(DjangoTemplates(), data)
        assert ours == django_s
        assert "<option" in ours["plain"] and "disabled" in ours["disabled"]


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "common.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


#: common/bar_field.html, the template `common.forms.bar_field_html` replaced.
BAR_FIELD = (
    '{% if field.widget_type == "checkbox" %}<div class="mb-3"><div id="div_{{ field.auto_id }}" '
    'class="form-check">{{ field }}<label for="{{ field.id_for_label }}" class="form-check-label">'
    '{{ field.label }}</label>{% else %}<div id="div_{{ field.auto_id }}" class="mb-3">'
    '{% if field.label %}<label for="{{ field.id_for_label }}" class="form-label">{{ field.label }}'
    '{% if field.field.required %}<span class="asteriskField">*</span>{% endif %}</label>'
    "{% endif %}{{ field }}{% endif %}{% if field.errors %}"
    '<div id="{{ field.auto_id }}_error" class="invalid-feedback d-block">'
    "{% for error in field.errors %}<p><strong>{{ error }}</strong></p>{% endfor %}</div>"
    '{% endif %}{% if field.help_text %}<div id="{{ field.auto_id }}_helptext" class="form-text">'
    "{{ field.help_text }}</div>{% endif %}</div>"
    '{% if field.widget_type == "checkbox" %}</div>{% endif %}\n'
)


class Bar(FilterBar):
    q = forms.CharField(label="名称 <&>", required=False, help_text='按 "名称" 查找 & 筛选')
    kind = forms.ChoiceField(label="类别", choices=CHOICES)
    count = forms.IntegerField(label="", required=False, min_value=0)
    only_mine = forms.BooleanField(label="只看 <我的>", required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def test_a_bar_field_is_written_as_its_template_wrote_it():
    template = Template(BAR_FIELD)
    for data in (None, {"q": "<x>", "kind": "b", "count": "-3", "only_mine": "on"}, {}):
        form = Bar(data, auto_id="id_%s")
        if data is not None:
            form.is_valid()
        for name in form.fields:
            field = form[name]
            expected = template.render(Context({"field": field})).strip()
            assert field.as_field_group() == expected, name
    assert Bar({"count": "x"})["count"].errors  # the errors' branch was taken above
