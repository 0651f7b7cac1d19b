"""common.choices.ChoiceLabels: `get_FOO_display()` from a dict built once per field, still
translated into the active language when shown."""

from unittest import mock

import pytest
from django.utils import translation

from branches.models import OrgUnit, UnitType
from brands.models import BrandApplication, Status

pytestmark = pytest.mark.django_db


def test_labels_follow_the_active_language(org):
    unit = OrgUnit.objects.get(pk=org.a1.pk)
    assert unit.get_unit_type_display() == "党支部"
    with translation.override("en"):
        assert unit.get_unit_type_display() == "Party branch"
    assert unit.get_unit_type_display() == "党支部"


def test_an_unknown_or_blank_value_shows_as_it_is():
    unit = OrgUnit(unit_type="gone", category="")
    assert unit.get_unit_type_display() == "gone"
    assert unit.get_category_display() == ""
    unit.unit_type = UnitType.CITY  # an enum member reads as its value
    assert unit.get_unit_type_display() == "市分公司党委"


def test_the_choices_are_not_rebuilt_per_call():
    """Django's own display hashes every (lazy) choice on each call via make_hashable."""
    app = BrandApplication(status=Status.IN_REVIEW)
    with mock.patch("django.db.models.base.make_hashable", side_effect=AssertionError):
        assert app.get_status_display() == str(Status.IN_REVIEW.label)
        assert OrgUnit(unit_type=UnitType.BRANCH).get_unit_type_display() == "党支部"
