"""{% load formats %}: |local_datetime and |local_date write what |date:"Y-m-d H:i" and
|date:"Y-m-d" write (issue #19: the same text for a fraction of the cost)."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

UTC = datetime.UTC


def render(source, value):
    return engines["django"].from_string("{% load formats %}" + source).render({"v": value})


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 12, 11, 17, 6, tzinfo=UTC),  # the next day in Asia/Shanghai
        datetime.datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        datetime.datetime(2026, 5, 6, 7, 8),  # naive: written as it is
        None,
        "",
    ],
)
def test_local_datetime_writes_what_date_writes(value):
    assert render("{{ v|local_datetime }}", value) == render('{{ v|date:"Y-m-d H:i" }}', value)


def test_an_instant_is_written_in_the_portals_time_zone():
    assert render("{{ v|local_datetime }}", datetime.datetime(2026, 12, 11, 17, 6, tzinfo=UTC)) == (
        "2026-12-12 01:06"
    )
    assert render("{{ v|local_date }}", datetime.datetime(2026, 12, 11, 17, 6, tzinfo=UTC)) == (
        "2026-12-12"
    )


@pytest.mark.parametrize(
    "value",
    [datetime.date(2024, 1, 5), datetime.datetime(2026, 12, 11, 16, 0, tzinfo=UTC), None, "x"],
)
def test_local_date_writes_what_date_writes(value):
    assert render("{{ v|local_date }}", value) == render('{{ v|date:"Y-m-d" }}', value)


def test_localtime_off_is_respected():
    value = datetime.datetime(2026, 12, 11, 17, 6, tzinfo=UTC)
    source = "{% localtime off %}{{ v|local_datetime }}{% endlocaltime %}"
    assert render("{% load tz %}" + source, value) == "2026-12-11 17:06"
    assert timezone.is_aware(value)
