"""Permission matrices (every role × every view × own/other subtree) and query-count guards."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Assessment
from tests.factories import OrgUnitFactory
from tests.permissions import LOGIN, assert_permission_matrix

from .conftest import fill_and_submit, make_period, publish_all

pytestmark = pytest.mark.smoke

EVERYONE_WITH_A_ROLE = {
    "anonymous": LOGIN,
    "member": 200,
    "secretary": 200,
    "general_branch_reviewer": 200,
    "city_reviewer": 200,
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}
IN_SCOPE = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}
INSIGHT_IN_SCOPE = {**IN_SCOPE, "secretary": 403}
MANAGERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 200,
    "committee_member": 403,
    "admin": 200,
}


def of(period, route, *extra):
    return lambda unit: reverse(
        route, args=[Assessment.objects.get(period=period, unit=unit).pk, *extra]
    )


@pytest.fixture
def city_periods(org):
    """One period per city: the own/other targets of the period-level views."""
    return {
        org.a1.pk: make_period(org, scope=org.city_a, name="甲市月度考评"),
        org.b1.pk: make_period(org, scope=org.city_b, name="乙市月度考评"),
    }


def by_city(periods, route):
    return lambda unit: reverse(route, args=[periods[unit.pk].pk])


def test_index_and_tables_open_to_everyone_logged_in(client, org, period):
    for route in ("evaluation:index", "evaluation:tables"):
        assert_permission_matrix(
            client, org, lambda unit, r=route: reverse(r), EVERYONE_WITH_A_ROLE
        )
    version = period.table_version
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("evaluation:table", args=[version.pk]),
        EVERYONE_WITH_A_ROLE,
    )


def test_assessment_detail_matrix(client, org, period):
    assert_permission_matrix(client, org, of(period, "evaluation:assessment"), IN_SCOPE)


def test_fill_matrix_only_the_own_secretary(client, org, period):
    assert_permission_matrix(
        client,
        org,
        of(period, "evaluation:fill"),
        {**dict.fromkeys(IN_SCOPE, 403), "anonymous": LOGIN, "secretary": (200, 403)},
    )


def test_adjust_matrix_only_reviewers_of_the_subtree(client, org, period):
    fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"])
    fill_and_submit(period.assessments.get(unit=org.b1), org.sec_b1)
    assert_permission_matrix(
        client,
        org,
        of(period, "evaluation:adjust"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": 403,
            "general_branch_reviewer": (302, 403),
            "city_reviewer": (302, 403),
            "province_reviewer": 302,
            "committee_member": 403,
            "admin": 403,
        },
        method="post",
        data={"expected_version": "stale"},
    )


def test_period_detail_matrix(client, org, city_periods):
    assert_permission_matrix(client, org, by_city(city_periods, "evaluation:period"), IN_SCOPE)


def test_rankings_and_export_matrix(client, org, city_periods):
    for route in ("evaluation:rankings", "evaluation:export", "evaluation:export_progress"):
        assert_permission_matrix(client, org, by_city(city_periods, route), INSIGHT_IN_SCOPE)


def allowed_as(matrix: dict, status: int) -> dict:
    """The matrix with `status` where it allows (200)."""
    return {
        role: tuple(status if s == 200 else s for s in (v if isinstance(v, tuple) else (v, v)))
        for role, v in matrix.items()
    }


def test_export_request_and_download_matrix(client, org, city_periods):
    # Before any request there is nothing to download: 404 where allowed, 403 elsewhere.
    download = by_city(city_periods, "evaluation:export_download")
    assert_permission_matrix(client, org, download, allowed_as(INSIGHT_IN_SCOPE, 404))
    request = by_city(city_periods, "evaluation:export")
    assert_permission_matrix(client, org, request, allowed_as(INSIGHT_IN_SCOPE, 302), method="post")


def test_period_management_matrix(client, org, city_periods):
    assert_permission_matrix(
        client, org, lambda unit: reverse("evaluation:period_create"), MANAGERS
    )
    assert_permission_matrix(client, org, by_city(city_periods, "evaluation:period_edit"), MANAGERS)


def test_aggregate_matrix(client, org, city_periods):
    assert_permission_matrix(
        client,
        org,
        by_city(city_periods, "evaluation:period_aggregate"),
        {**MANAGERS, "province_reviewer": 302, "admin": 302},
        method="post",
    )


def test_publish_matrix_committees_and_province_only(client, org, city_periods):
    """Posting "publish city A's part" to each city's period."""
    assert_permission_matrix(
        client,
        org,
        by_city(city_periods, "evaluation:period_publish"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": 403,
            "general_branch_reviewer": 403,
            "city_reviewer": (302, 403),
            "province_reviewer": (302, 403),  # city A is not part of city B's period
            "committee_member": 403,
            "admin": 403,
        },
        method="post",
        data={"unit": org.city_a.pk},
    )


def test_review_queue_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("evaluation:review_queue"),
        {**MANAGERS, "general_branch_reviewer": 200, "city_reviewer": 200, "admin": 403},
    )


def test_result_views_matrix(client, org, published):
    assert_permission_matrix(client, org, of(published, "evaluation:radar"), IN_SCOPE)
    assert_permission_matrix(
        client, org, lambda unit: reverse("evaluation:trend", args=[unit.pk]), IN_SCOPE
    )


def test_unpublished_results_are_hidden_from_the_branch(client, org, period):
    a = fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"])
    client.force_login(org.users["secretary"])
    assert client.get(reverse("evaluation:radar", args=[a.pk])).status_code == 403
    body = client.get(reverse("evaluation:assessment", args=[a.pk])).content.decode()
    assert 'data-testid="result-star"' not in body
    client.force_login(org.users["general_branch_reviewer"])
    assert client.get(reverse("evaluation:radar", args=[a.pk])).status_code == 200


def test_table_export_matrix(client, org, period):
    version = period.table_version
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("evaluation:table_export", args=[version.pk]),
        {**dict.fromkeys(MANAGERS, 403), "anonymous": LOGIN, "admin": 200},
    )


# --- query-count guards: the count must not grow with the data ------------------------------


def more_branches(org, n, start):
    units = []
    for i in range(n):
        units.append(
            OrgUnitFactory(
                parent=org.general_a,
                code=f"X{start + i}",
                category="production",
                region=org.a1.region,
            )
        )
    return units


def test_list_pages_query_counts_do_not_grow(client, org, django_assert_max_num_queries):
    pages = lambda p: [  # noqa: E731
        reverse("evaluation:index"),
        reverse("evaluation:period", args=[p.pk]),
        reverse("evaluation:review_queue"),
        reverse("evaluation:rankings", args=[p.pk]),
        reverse("evaluation:tables"),
        reverse("evaluation:trend", args=[org.a1.pk]),
    ]
    more_branches(org, 2, 0)
    first = make_period(org, name="一月")
    publish_all(org, first)
    second = make_period(org, starts=first.starts_on.replace(day=2), name="二月")
    fill_and_submit(second.assessments.get(unit=org.a1), org.users["secretary"])
    client.force_login(org.users["province_reviewer"])
    counts = {}
    for url in pages(first):
        with django_assert_max_num_queries(25) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    # ten times the branches, more periods, more published results
    for unit in more_branches(org, 20, 100):
        Assessment.objects.create(
            period=first,
            unit=unit,
            category="production",
            region=unit.region,
            status="published",
            total=Decimal(50),
            rank_province=9,
        )
    for m in range(3, 8):
        make_period(org, starts=first.starts_on.replace(day=m), name=f"{m}月")
    for url in pages(first):
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
