"""Races on real PostgreSQL connections: the row locks make exactly one of two conflicting
actions win, and nothing is half-applied or published twice."""

from decimal import Decimal

import pytest
from django.conf import settings

from evaluation.models import Assessment, Status
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from evaluation.services import periods as period_services
from tests.conftest import run_concurrently
from tests.factories import Org
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled

from .conftest import close, fill_and_submit, make_period

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # skip before the transactional set-up, so a SQLite run does not flush for nothing
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs DATABASE_URL pointing at PostgreSQL",
    ),
]


def test_adjust_and_accept_at_once_exactly_one_wins(postgres):
    org = Org()
    period = make_period(org)
    a = fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"])
    seen = services.WORKFLOW.version_of(a)  # both reviewers opened the same page
    item = next(
        i for i in indicators_for(a.period.table_version_id, "production") if i.code == "gl-3"
    )
    results = run_concurrently(
        lambda: services.adjust_scores(
            actor=org.users["general_branch_reviewer"],
            pk=a.pk,
            changes={item.pk: (Decimal(4), "核减")},
            expected_version=seen,
        ),
        lambda: services.accept(actor=org.users["city_reviewer"], pk=a.pk, expected_version=seen),
    )
    losers = [r for r in results if isinstance(r, AlreadyHandled)]
    assert len(losers) == 1, results
    a.refresh_from_db()
    adjusted = AuditEntry.objects.filter(object_id=a.pk, action="adjust_score").exists()
    accepted = a.status == Status.REVIEWED
    assert adjusted != accepted  # one or the other, never both on a stale screen
    assert a.total == (94 if adjusted else 100)


def test_two_publications_at_once_publish_each_result_once(postgres):
    org = Org()
    period = make_period(org)
    for unit, secretary, reviewer in (
        (org.a1, org.users["secretary"], org.users["city_reviewer"]),
        (org.b1, org.sec_b1, org.rev_b),
    ):
        a = fill_and_submit(period.assessments.get(unit=unit), secretary)
        services.accept(actor=reviewer, pk=a.pk)
    close(period)
    results = run_concurrently(
        lambda: period_services.publish(
            actor=org.users["city_reviewer"], pk=period.pk, unit=org.city_a
        ),
        lambda: period_services.publish(
            actor=org.users["province_reviewer"], pk=period.pk, unit=org.province
        ),
    )
    counts = [r for r in results if isinstance(r, int)]
    assert sum(counts) == 2, results
    published = Assessment.objects.filter(period=period, status=Status.PUBLISHED)
    assert published.count() == 2
    for a in published:
        assert (
            AuditEntry.objects.filter(
                content_type__model="assessment", object_id=a.pk, action="publish"
            ).count()
            == 1
        )
    assert sorted(published.values_list("rank_province", flat=True)) == [1, 1]
