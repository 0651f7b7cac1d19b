"""Helpers that write a list page's per-row text once per page (issue #19): each writes what
the per-row template tag or filter it replaces writes."""

import datetime

import pytest
import time_machine
from django import forms
from django.template import engines
from django.utils import translation

from branches.models import CITY_COMMITTEE_TYPES, OrgUnit
from common.formats import time_since
from common.forms import CommitteeFilterForm

UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 11, 17, 6, 30, tzinfo=UTC)


def timesince_filter(value):
    return engines["django"].from_string("{{ v|timesince }}").render({"v": value})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@time_machine.travel(NOW, tick=False)
def test_time_since_writes_what_the_timesince_filter_writes(language):
    values = [
        NOW - datetime.timedelta(days=70, hours=3),
        NOW - datetime.timedelta(days=1),
        NOW - datetime.timedelta(days=2, minutes=5),  # the same unit, another count
        NOW - datetime.timedelta(hours=15, minutes=35),
        NOW - datetime.timedelta(days=400),
        NOW - datetime.timedelta(seconds=20),  # "0 minutes"
        NOW + datetime.timedelta(days=1),  # in the future: "0 minutes" as well
        None,
        "",
    ]
    with translation.override(language):
        since = time_since()
        for value in values:
            assert since(value) == timesince_filter(value), value


class DjangosCommitteeForm(CommitteeFilterForm):
    city = forms.ModelChoiceField(
        label="市/直属党委", required=False, queryset=None, empty_label="全部"
    )


@pytest.mark.django_db
def test_the_committee_select_renders_what_djangos_select_renders(org):
    committees = OrgUnit.objects.filter(unit_type__in=CITY_COMMITTEE_TYPES).order_by("path")
    assert len(committees) > 1
    with translation.override("zh-hans"):
        for data in (None, {"city": str(committees[1].pk)}, {"city": "x"}):
            ours = CommitteeFilterForm(data, committees=committees)
            djangos = DjangosCommitteeForm(data, committees=committees)
            ours.filters(), djangos.filters()
            assert str(ours["city"].as_field_group()) == str(djangos["city"].as_field_group())


@pytest.mark.django_db
def test_the_committee_select_lists_its_choices_with_one_plain_query(
    org, django_assert_num_queries
):
    committees = OrgUnit.objects.filter(unit_type__in=CITY_COMMITTEE_TYPES).order_by("path")
    form = CommitteeFilterForm(None, committees=committees)
    with django_assert_num_queries(1) as captured:
        str(form["city"])
    assert "DECLARE" not in captured.captured_queries[0]["sql"]
    # what is posted is still checked against the whole queryset
    chosen = CommitteeFilterForm({"city": str(committees[0].pk)}, committees=committees)
    assert chosen.filters() == {"city": committees[0]}
    assert CommitteeFilterForm({"city": "999999"}, committees=committees).filters() == {}
