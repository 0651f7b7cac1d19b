"""`{% indicator_badges i %}` writes what the include it replaced wrote
(evaluation/_indicator_badges.html, one per row of the tables and the assessment page), in both
languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from evaluation import online
from evaluation.models import Indicator, IndicatorKind

#: The include, as it was.
INCLUDE = (
    "{% load i18n %}<span class=\"badge {% if i.kind == 'deduction' %}bg-warning text-dark"
    "{% elif i.kind == 'veto' %}bg-dark{% elif i.kind == 'special' %}bg-info text-dark"
    '{% else %}bg-light text-dark{% endif %}">{{ i.get_kind_display }}</span>'
    '{% if i.online_rule %} <span class="badge bg-success" data-testid="online-{{ i.code }}" '
    'title="{{ i.get_online_rule_display }}">{% translate "线上评分" %}</span>{% endif %}\n'
)
TAG = "{% load evaluation_tags %}{% indicator_badges i %}"
RULE = next(value for value, _label in online.choices() if value)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", [*IndicatorKind.values, "unknown"])
@pytest.mark.parametrize("rule", ["", RULE])
def test_the_tag_writes_what_the_include_wrote(language, kind, rule):
    indicator = Indicator(kind=kind, online_rule=rule, code='A<1>&"')
    with translation.override(language):
        context = {"i": indicator}
        assert Template(TAG).render(Context(context)) == Template(INCLUDE).render(Context(context))
