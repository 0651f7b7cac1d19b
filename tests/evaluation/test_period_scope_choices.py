"""The 考评范围 (scope) of a new period is chosen among the province and its committees in the
manager's subtree: not among every branch and party group of the province."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Role, UnitType
from evaluation.models import AssessmentPeriod, TableVersion
from tests.factories import OrgUnitFactory, UserFactory, grant

pytestmark = pytest.mark.smoke


def scope_options(client) -> list[str]:
    page = client.get(reverse("evaluation:period_create")).content.decode()
    select = re.search(r'<select name="scope".*?</select>', page, re.S)
    assert select
    return [label.strip() for label in re.findall(r'<option value="\d+"[^>]*>([^<]*)<', select[0])]


def test_only_the_province_and_committees_are_offered(client, org):
    client.force_login(org.users["province_reviewer"])
    assert scope_options(client) == [str(org.province), str(org.city_a), str(org.city_b)]


def test_a_manager_of_one_city_is_offered_that_city_only(client, org):
    city_admin = grant(UserFactory(username="admin_a"), org.city_a, Role.ADMIN)
    client.force_login(city_admin)
    assert scope_options(client) == [str(org.city_a)]


def test_a_branch_is_not_offered_nor_accepted(client, org):
    client.force_login(org.users["province_reviewer"])
    options = scope_options(client)
    assert str(org.a1) not in options and str(org.general_a) not in options
    version = TableVersion.objects.get(table__code="six-good", number=1)
    response = client.post(
        reverse("evaluation:period_create"),
        {
            "name": "支部自定周期",
            "kind": "monthly",
            "table_version": version.pk,
            "scope": org.a1.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "opens_on": "2026-01-01",
            "closes_on": "2026-01-10",
        },
    )
    errors = re.search(r'id="error_\d+_id_scope"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert response.status_code == 200 and errors and "选择" in errors[1]
    assert not AssessmentPeriod.objects.exists()


def test_the_form_costs_the_same_queries_however_many_units(client, org, django_assert_num_queries):
    client.force_login(org.users["province_reviewer"])
    url = reverse("evaluation:period_create")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        city = OrgUnitFactory(parent=org.province, unit_type=UnitType.CITY, code=f"C{n}")
        for m in range(10):
            OrgUnitFactory(parent=city, code=f"C{n}B{m}")
    org.province.refresh_from_db()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
    assert len(scope_options(client)) == 3 + 3  # the three new cities, none of their branches
