"""Ranks written in short batches: the same ranks as the one-shot window query, started over
when the published set changes in between, and (on PostgreSQL) no lock held between batches
that would keep a reviewer waiting."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction

from evaluation.models import Assessment, AssessmentPeriod, PeriodPublication
from evaluation.services.ranking import ranked, refresh_ranks
from tests.factories import Org, OrgUnitFactory

from .conftest import make_period, publish_all

RANKS = ("rank_category", "rank_region", "rank_province")


def add_published(org, period, n, *, start=0):
    """`n` more published results with totals start, start+1 … (ties with the others)."""
    for i in range(n):
        unit = OrgUnitFactory(
            parent=org.city_b, code=f"R{start + i}", category=("market", "production")[i % 2]
        )
        Assessment.objects.create(
            period=period,
            unit=unit,
            category=unit.category,
            region=unit.region,
            status="published",
            total=Decimal((start + i) % 40 + 50),
            is_vetoed=i % 13 == 0,
        )


def stored(period) -> dict:
    return {
        pk: tuple(rest)
        for pk, *rest in period.assessments.filter(status="published").values_list("pk", *RANKS)
    }


def one_shot(period) -> dict:
    return {
        pk: tuple(rest)
        for pk, *rest in ranked(period.pk).values_list("pk", "r_category", "r_region", "r_province")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 7, 5000])
def test_batches_store_the_one_shot_ranks(org, period, batch_size):
    publish_all(org, period)
    add_published(org, period, 30)
    period.assessments.update(rank_category=None, rank_region=None, rank_province=None)
    assert refresh_ranks(period.pk, batch_size=batch_size) == 33
    assert stored(period) == one_shot(period)
    assert refresh_ranks(period.pk, batch_size=batch_size) == 0  # only changed rows are written


@pytest.mark.django_db
def test_a_publication_between_batches_starts_the_refresh_over(org, period):
    publish_all(org, period)
    add_published(org, period, 10)
    last = period.assessments.filter(status="published").order_by("pk").last()
    calls = []

    def meanwhile():  # another committee publishes: a new top result and a publication
        calls.append(1)
        if len(calls) == 1:
            Assessment.objects.filter(pk=last.pk).update(total=Decimal(999), is_vetoed=False)
            PeriodPublication.objects.create(
                period=period,
                unit=org.province,
                count=1,
                published_by=org.users["province_reviewer"],
            )

    refresh_ranks(period.pk, batch_size=3, between_batches=meanwhile)
    assert stored(period) == one_shot(period)
    assert Assessment.objects.get(pk=last.pk).rank_province == 1
    assert len(calls) > 13 // 3  # the batches ran again from the start


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs DATABASE_URL pointing at PostgreSQL",
)
def test_a_reviewer_is_not_blocked_while_ranks_are_refreshed(postgres):
    org = Org()
    period = make_period(org)
    add_published(org, period, 12)
    ids = list(
        period.assessments.filter(status="published").order_by("pk").values_list("pk", flat=True)
    )
    paused, resume = threading.Event(), threading.Event()
    outcome = {}

    def pause_once():
        if not paused.is_set():
            paused.set()
            resume.wait(timeout=30)

    def refresh():
        try:
            outcome["written"] = refresh_ranks(period.pk, batch_size=4, between_batches=pause_once)
        except Exception as exc:  # the outcome under test
            outcome["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=refresh)
    worker.start()
    try:
        assert paused.wait(timeout=30), "the refresh never reached its first pause"
        # mid-refresh: a reviewer's write to a written and to a pending row, and what a
        # publication locks (the period row), each within a one-second lock timeout
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            for pk in (ids[0], ids[-1]):
                row = Assessment.objects.select_for_update().get(pk=pk)
                row.veto_reason = "复核"
                row.save(update_fields=["veto_reason"])
            AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    finally:
        resume.set()
        worker.join(timeout=60)
    assert "error" not in outcome, outcome
    assert outcome["written"] == 12
    assert stored(period) == one_shot(period)
