"""common.labels writes what `{% blocktranslate %}` writes: the same catalogue entry, each
value localized and escaped as an autoescaped template does, in either language."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import ngettext

from common.labels import blocktranslated, blocktranslated_count

TEMPLATES = engines["django"]


def _tag(text: str, **context) -> str:
    return TEMPLATES.from_string("{% load i18n %}" + text).render(context)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("req", "held"), [(0, 0), (240, 4), (1234567, 12), (Decimal("1.7"), "<b>&'\"")]
)
def test_a_message_with_values_is_the_tags_text(language, req, held):
    with translation.override(language):
        tag = _tag(
            "{% blocktranslate with req=req held=held %}应开 {{ req }} · 已开 {{ held }}"
            "{% endblocktranslate %}",
            req=req,
            held=held,
        )
        assert blocktranslated("应开 %(req)s · 已开 %(held)s")(req=req, held=held) == tag


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rate", [Decimal("0.0"), Decimal("85.3"), Decimal("100.0")])
def test_a_percent_sign_is_the_tags_text(language, rate):
    with translation.override(language):
        tag = _tag(
            "{% blocktranslate with rate=rate %}出席率 {{ rate }}%{% endblocktranslate %}",
            rate=rate,
        )
        assert blocktranslated("出席率 %(rate)s%%")(rate=rate) == tag


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_counted_message_is_the_tags_text(language):
    behind = blocktranslated_count(
        lambda n: ngettext("%(n)s 个支部未按期", "%(n)s 个支部未按期", n), "n"
    )
    with translation.override(language):
        for n in (1, 2, 1, 35):
            tag = _tag(
                "{% blocktranslate count n=n %}{{ n }} 个支部未按期{% plural %}"
                "{{ n }} 个支部未按期{% endblocktranslate %}",
                n=n,
            )
            assert behind(n=n) == tag


def test_a_name_is_escaped_as_the_template_escapes_it():
    still = blocktranslated("%(name)s %(n)s 次")
    tag = _tag(
        "{% blocktranslate with name=name n=n %}{{ name }} {{ n }} 次{% endblocktranslate %}",
        name="<script>支委会</script>",
        n=2,
    )
    assert still(name="<script>支委会</script>", n=2) == tag
    assert "&lt;script&gt;" in tag
