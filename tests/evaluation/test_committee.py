"""`Assessment.committee`: a copy of the unit's committee that lets a committee's readers list
its results off an index. It must always say where the unit is now, or a reader would miss
(or see) rows their permissions say otherwise."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.cache import tree_version
from branches.models import OrgUnit
from evaluation.models import Assessment
from evaluation.selectors import periods as selectors
from evaluation.selectors import results
from tests.factories import OrgUnitFactory, UserFactory

from .conftest import publish_all


def committees(period):
    return dict(period.assessments.values_list("unit__code", "committee__code"))


def ranked_codes(user, period):
    return [a.unit.code for a in results.rankings(user, period)]


def test_opening_a_period_records_each_units_committee(org, period):
    assert committees(period) == {"A1": "A", "A2": "A", "B1": "B"}


def test_an_assessment_created_one_at_a_time_gets_its_committee_too(org, period):
    unit = OrgUnitFactory(parent=org.general_a, code="A3", category="market")
    assert Assessment.objects.create(period=period, unit=unit).committee == org.city_a


def test_a_branch_moved_to_another_city_is_listed_by_its_new_committee(
    org, period, django_capture_on_commit_callbacks
):
    publish_all(org, period)
    city_a, city_b = org.users["city_reviewer"], org.rev_b
    assert ranked_codes(city_a, period) == ["A1", "A2"]
    before = tree_version()

    with django_capture_on_commit_callbacks(execute=True):
        OrgUnit.objects.move(OrgUnit.objects.get(pk=org.a2.pk), org.city_b, pos="last-child")

    assert committees(period)["A2"] == "B"
    assert ranked_codes(city_a, period) == ["A1"]
    assert ranked_codes(city_b, period) == ["A2", "B1"]  # ranks province-wide: 2nd, 3rd
    assert tree_version() != before  # cached tree figures (and progress counts) dropped


def test_a_subtree_moved_under_another_committee_takes_it_whole(org, period):
    OrgUnit.objects.move(OrgUnit.objects.get(pk=org.general_a.pk), org.city_b, pos="last-child")
    assert committees(period) == {"A1": "B", "A2": "A", "B1": "B"}


def test_a_committee_moved_under_another_becomes_part_of_it(org, period):
    OrgUnit.objects.move(OrgUnit.objects.get(pk=org.city_a.pk), org.city_b, pos="last-child")
    assert committees(period) == {"A1": "B", "A2": "B", "B1": "B"}


def test_a_unit_moved_to_the_top_heads_no_committee_and_its_children_do(org, period):
    general = OrgUnit.objects.get(pk=org.general_a.pk)
    OrgUnit.objects.move(general, org.province, pos="last-sibling")
    branch_unit = OrgUnitFactory(parent=org.city_b, code="B2", category="market")
    OrgUnit.objects.move(
        OrgUnit.objects.get(pk=branch_unit.pk), org.province, pos="last-sibling"
    )  # a root of its own
    period.assessments.create(unit=OrgUnit.objects.get(pk=branch_unit.pk))
    assert committees(period) == {"A1": "A1", "A2": "A", "B1": "B", "B2": None}


def test_a_general_branch_reviewer_lists_only_their_subtree_within_the_committee(org, period):
    publish_all(org, period)
    reviewer = org.users["general_branch_reviewer"]
    assert ranked_codes(reviewer, period) == ["A1"]
    assert selectors.progress_by_period(reviewer, [period])[period.pk]["total"] == 1


def test_the_committee_filter_uses_the_column(client, org, period):
    publish_all(org, period)
    client.force_login(org.users["province_reviewer"])
    url = reverse("evaluation:period", args=[period.pk])
    body = client.get(url, {"committee": org.city_b.pk}).content.decode()
    assert "乙市网络运维党支部" in body and "甲市网络运维党支部" not in body


def test_a_committee_readers_rankings_do_not_join_the_org_tree(org, period):
    publish_all(org, period)
    with CaptureQueriesContext(connection) as queries:
        list(results.rankings(org.rev_b, period).values_list("pk", flat=True))
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "branches_orgunit" not in sql and "committee_id" in sql


def test_a_drag_and_drop_move_in_the_admin_keeps_committees_current(client, org, period):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:branches_orgunit_changelist") + "move/"
    response = client.post(url, {"node": org.a2.pk, "target": org.city_b.pk, "relation": "child"})
    assert response.status_code == 200
    assert committees(period)["A2"] == "B"
