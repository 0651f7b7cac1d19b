"""What keeps the brand pages cheap on a province of 100,000 branches: figures cached per scope
and dropped by exactly the writes that change them (once they commit), counts the lists already
know instead of a COUNT over the scope, and lists that count at most MAX_ROWS rows.

Tests run inside a transaction, so `transaction.on_commit` callbacks only run where a test asks
for them (`django_capture_on_commit_callbacks(execute=True)`), as a commit would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brands import cache, services
from brands.models import BrandApplication, Status
from brands.selectors import applications as app_selectors
from brands.selectors import coverage as coverage_selectors
from brands.selectors import showcase as showcase_selectors
from common import pagination

from .conftest import CONTENT, png_upload

pytestmark = pytest.mark.smoke


def counts_of(table, queries) -> list[str]:
    """The COUNT queries over `table` among the captured ones."""
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and table in q["sql"]]


# --- which writes drop which figures ------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_state", "to_state", "touched"),
    [
        (None, Status.DRAFT, {cache.APPLICATIONS}),
        # first submission: filed, and in a queue
        (Status.DRAFT, Status.IN_REVIEW, {cache.COVERAGE, cache.QUEUE}),
        (Status.RETURNED, Status.IN_REVIEW, {cache.QUEUE}),  # filed before and after
        (Status.IN_REVIEW, Status.IN_REVIEW, {cache.QUEUE}),  # approved at a level: next queue
        (Status.IN_REVIEW, Status.RETURNED, {cache.QUEUE}),
        (Status.IN_REVIEW, Status.REJECTED, {cache.COVERAGE, cache.QUEUE}),  # no longer filed
        (Status.IN_REVIEW, Status.IMPLEMENTING, {cache.SHOWCASE, cache.QUEUE}),  # last approval
        (Status.IMPLEMENTING, Status.ACCEPTANCE, set()),
        (Status.ACCEPTANCE, Status.IMPLEMENTING, set()),  # failed acceptance
        (Status.ACCEPTANCE, Status.BUILT, {cache.COVERAGE}),  # built
    ],
)
def test_figures_touched_by_each_status_change(from_state, to_state, touched):
    assert set(cache.figures_touched(from_state, to_state)) == touched


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_is_cached_until_a_submission_commits(
    org, django_assert_num_queries, django_capture_on_commit_callbacks
):
    province = org.users["province_reviewer"]
    secretary = org.users["secretary"]
    first = coverage_selectors.coverage(province)
    assert (first.totals.total, first.totals.filed) == (3, 0)
    with django_assert_num_queries(1):  # the year's target; the figures come from the cache
        coverage_selectors.coverage(province)

    with django_capture_on_commit_callbacks(execute=True):
        draft = services.save_application_draft(
            actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
        )
    with django_assert_num_queries(1):  # a draft is not filed: still cached
        assert coverage_selectors.coverage(province).totals.filed == 0

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.submit_application(actor=secretary, pk=draft.pk)
    assert callbacks  # dropped on commit, not before
    assert coverage_selectors.coverage(province).totals.filed == 1
    city = coverage_selectors.coverage(org.users["city_reviewer"])
    assert [(r.label, r.filed) for r in city.by_committee] == [("甲市分公司党委", 1)]


def test_a_write_that_does_not_commit_keeps_the_figures(org, django_capture_on_commit_callbacks):
    province = org.users["province_reviewer"]
    draft = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )
    coverage_selectors.coverage(province)  # cached: nothing filed
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_application(actor=org.users["secretary"], pk=draft.pk)
    assert len(callbacks) >= 1
    # Not committed yet: readers keep the figures of the last commit.
    assert coverage_selectors.coverage(province).totals.filed == 0
    for callback in callbacks:
        callback()
    assert coverage_selectors.coverage(province).totals.filed == 1


def test_missing_list_takes_its_count_from_the_cached_figures(client, org):
    client.force_login(org.users["province_reviewer"])
    url = reverse("brands:coverage_missing")
    for params in ({}, {"city": org.city_a.pk}, {"category": "production"}):
        client.get(url, params)  # the breakdown is cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert not counts_of("branches_orgunit", queries.captured_queries), params
        page = response.context["page"]
        assert page.paginator.count == len(page.object_list) > 0


# --- showcase -------------------------------------------------------------------------------------


def test_wall_counts_follow_the_last_approval(
    client, org, submitted, django_capture_on_commit_callbacks
):
    assert showcase_selectors.brand_wall_count() == 0
    assert showcase_selectors.brand_wall_count(city=org.city_a) == 0
    for role in ("general_branch_reviewer", "city_reviewer", "province_reviewer"):
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_application(actor=org.users[role], pk=submitted.pk)
    assert showcase_selectors.brand_wall_count() == 1
    assert showcase_selectors.brand_wall_count(city=org.city_a) == 1
    assert showcase_selectors.brand_wall_count(city=org.city_b) == 0
    assert showcase_selectors.brand_wall_count(category="production") is None  # counted
    clusters, _without = showcase_selectors.brand_clusters()
    assert [(c.committee, c.member_count) for c in clusters] == [(org.city_a, 1)]

    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase")).content.decode()
    assert CONTENT["name"] in body


def test_unfiltered_wall_needs_no_count_once_cached(client, org, submitted):
    # Bypasses the services: fine here, nothing of this tree is cached yet.
    BrandApplication.objects.filter(pk=submitted.pk).update(status=Status.BUILT)
    client.force_login(org.users["member"])
    for params in ({}, {"city": org.city_a.pk}):
        client.get(reverse("brands:showcase"), params)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("brands:showcase"), params)
        assert not counts_of("brands_brandapplication", queries.captured_queries), params
        assert response.context["page"].paginator.count == 1
        assert CONTENT["name"] in response.content.decode()


# --- lists ----------------------------------------------------------------------------------------


def test_index_count_is_cached_until_an_application_is_created(
    org, django_assert_num_queries, django_capture_on_commit_callbacks
):
    province = org.users["province_reviewer"]
    assert app_selectors.application_count(province) == 0
    with django_assert_num_queries(0):
        app_selectors.application_count(province)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_application_draft(
            actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
        )
    assert app_selectors.application_count(province) == 1
    assert app_selectors.application_count(org.rev_b) == 0  # per scope


def test_queue_count_is_the_queue_size(org, submitted):
    for role in ("general_branch_reviewer", "city_reviewer", "province_reviewer", "admin"):
        user = org.users[role]
        assert app_selectors.review_queue_count(user) == app_selectors.review_queue(user).count()
    assert app_selectors.review_queue_count(org.users["general_branch_reviewer"]) == 1


def test_queue_count_is_cached_until_an_approval_commits(
    org, submitted, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The application moves from the general branch's queue to the city's: both counts are
    read from the cache until the approval commits, then counted afresh."""
    general, city = org.users["general_branch_reviewer"], org.users["city_reviewer"]
    general.role_assignments  # noqa: B018 -- loaded once per request
    city.role_assignments  # noqa: B018
    assert app_selectors.review_queue_count(general) == 1
    assert app_selectors.review_queue_count(city) == 0
    with django_assert_num_queries(0):
        assert app_selectors.review_queue_count(general) == 1
        assert app_selectors.review_queue_count(city) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(actor=general, pk=submitted.pk)
    assert app_selectors.review_queue_count(general) == 0
    assert app_selectors.review_queue_count(city) == 1


@pytest.fixture
def three_built(org):
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        services.save_application_draft(actor=secretary, unit=unit, data=CONTENT, logo=png_upload())
    BrandApplication.objects.create(unit=org.a2, applicant=org.users["secretary"], name="第三")
    BrandApplication.objects.update(status=Status.BUILT)  # nothing of this tree is cached yet


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("brands:showcase", {}),  # a known count above the cap
        ("brands:showcase", {"level": "branch"}),  # counted, up to the cap
        ("brands:index", {}),
        ("brands:index", {"status": Status.BUILT}),
    ],
)
def test_lists_above_the_cap_say_so(client, org, three_built, monkeypatch, route, params):
    monkeypatch.setattr(pagination, "MAX_ROWS", 2)  # three rows are "more than the cap"
    client.force_login(org.users["province_reviewer"])
    response = client.get(reverse(route), params)
    assert response.context["page"].paginator.capped
    assert "超过 2 条，请用查询条件缩小范围" in response.content.decode()


@pytest.mark.parametrize(
    ("route", "params"),
    [("brands:showcase", {}), ("brands:showcase", {"level": "branch"}), ("brands:index", {})],
)
def test_lists_below_the_cap_count_exactly(client, org, three_built, route, params):
    client.force_login(org.users["province_reviewer"])
    paginator = client.get(reverse(route), params).context["page"].paginator
    assert (paginator.count, paginator.capped) == (3, False)
