"""What keeps the evaluation pages cheap on a province of 100,000 branches: progress figures
cached per period and scope until an assessment changes status, and the rank order read off
an index (see bench/evaluation.py for the measured figures)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from evaluation.selectors import periods as selectors
from evaluation.services import assessments as services

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


def test_progress_is_cached_until_a_submission_commits(
    org, period, a1, django_assert_num_queries, django_capture_on_commit_callbacks
):
    reviewer = org.users["city_reviewer"]
    reviewer.role_assignments  # noqa: B018 -- roles are loaded once per request
    before = selectors.progress_by_period(reviewer, [period.pk])[period.pk]
    assert before.get("submitted", 0) == 0
    with django_assert_num_queries(0):
        assert selectors.progress_by_period(reviewer, [period.pk])[period.pk] == before

    with django_capture_on_commit_callbacks(execute=True):
        fill_and_submit(a1, org.users["secretary"])

    after = selectors.progress_by_period(reviewer, [period.pk])[period.pk]
    assert after["submitted"] == 1
    assert after["handed_in"] == before["handed_in"] + 1
    assert after["total"] == before["total"]


def test_a_refused_change_keeps_the_cached_figures(
    org, period, a1, django_assert_num_queries, django_capture_on_commit_callbacks
):
    secretary = org.users["secretary"]
    secretary.role_assignments  # noqa: B018
    before = selectors.progress_by_period(secretary, [period.pk])
    # nothing filled in: the submission is refused and its transaction rolls back
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError, match="请先为以下指标填写自评分"),
    ):
        services.submit_assessment(actor=secretary, pk=a1.pk)
    assert callbacks == []
    with django_assert_num_queries(0):
        assert selectors.progress_by_period(secretary, [period.pk]) == before


def test_each_scope_has_its_own_figures(org, period):
    province = selectors.progress_by_period(org.users["province_reviewer"], [period.pk])
    city = selectors.progress_by_period(org.users["city_reviewer"], [period.pk])
    other_city = selectors.progress_by_period(org.rev_b, [period.pk])
    assert province[period.pk]["total"] == city[period.pk]["total"] + other_city[period.pk]["total"]
    assert city[period.pk]["total"] < province[period.pk]["total"]


def test_a_page_of_periods_counts_the_uncached_ones_in_one_query(
    org, period, django_assert_num_queries
):
    from .conftest import make_period

    other = make_period(org, name="另一个周期", starts=period.starts_on - timedelta(days=40))
    user = org.users["province_reviewer"]
    user.role_assignments  # noqa: B018
    selectors.progress_by_period(user, [period.pk])
    with django_assert_num_queries(1):  # `other` only
        both = selectors.progress_by_period(user, [period.pk, other.pk])
    assert both[other.pk]["total"] == both[period.pk]["total"]


def test_autovacuum_follows_a_publication_on_a_table_of_many_periods(postgres):
    """Index-only paging needs the visibility map that vacuum sets; a publication rewrites a
    period's rows, a few per cent of a table that holds many periods (migration 0010)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'evaluation_assessment'")
        (options,) = cursor.fetchone()
    assert set(options or []) >= {
        "autovacuum_vacuum_scale_factor=0.02",
        "autovacuum_vacuum_threshold=1000",
        "autovacuum_vacuum_insert_scale_factor=0.02",
        "autovacuum_analyze_scale_factor=0.02",
    }
