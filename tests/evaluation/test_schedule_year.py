"""A whole year of 月评价、季评星、年定级 run by beat alone: the clock steps day by day through
2027 (and into 2028), the schedule's job runs each day, a reviewer "publishes" each month once
its window has closed, and nothing else creates a period. At the end: 12 monthly periods, 4
quarters and a year, each exactly once, with the documented figures (a quarter divides by its
three months, a month without a published result counting 0; the year by its four quarters)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from evaluation.models import Assessment, AssessmentPeriod, PeriodKind, Status
from evaluation.services import periods as period_services
from evaluation.services import schedules
from evaluation.tasks import run_schedules
from tests.clock import local

FIRST = date(2027, 1, 1)
LAST_DAY = date(2028, 1, 12)  # December's window closes on 10 January; published on the 11th


def a1_total(month: int) -> Decimal:
    return Decimal(80 + month)


def a2_total(month: int) -> Decimal:
    return Decimal(70 + month)


@pytest.fixture
def schedule(org):
    from evaluation.models import ScoringTable

    return schedules.save_schedule(
        actor=org.users["province_reviewer"],
        data={
            "table": ScoringTable.objects.get(code="six-good"),
            "scope": org.province,
            "first_month": FIRST,
            "open_day": 1,
            "close_day": 10,
            "quarterly": True,
            "annual": True,
            "is_active": True,
        },
    )


def fake_publish(org, period):
    """The month's review, short-cut: A1 and A2 accepted with fixed totals (A2 missing in
    February: it never filed), then published for the whole province by the service."""
    m = period.starts_on.month
    rows = {org.a1.pk: a1_total(m)}
    if m != 2:
        rows[org.a2.pk] = a2_total(m)
    for unit_id, total in rows.items():
        Assessment.objects.filter(period=period, unit_id=unit_id).update(
            status=Status.REVIEWED, total=total, max_total=Decimal(100), rate=total
        )
    period_services.publish(actor=org.users["province_reviewer"], pk=period.pk, unit=org.province)


def test_beat_alone_runs_a_whole_year(org, schedule):
    """Each day: beat at 00:00:00 (twice: a retry or a second worker adds nothing), the review
    at noon publishes every month whose window has closed, beat again at 23:59:59 (it may
    aggregate what noon completed, but never opens a month a second early)."""
    published = set()
    at_day_end = {}
    day = FIRST - timedelta(days=1)
    while day <= LAST_DAY:
        with time_machine.travel(local(day.year, day.month, day.day, 0, 0, 0), tick=False):
            run_schedules.delay().get()
            assert run_schedules.delay().get() == 0
        with time_machine.travel(local(day.year, day.month, day.day, 12), tick=False):
            for period in AssessmentPeriod.objects.filter(kind=PeriodKind.MONTHLY):
                if period.pk not in published and day > period.closes_on:
                    fake_publish(org, period)
                    published.add(period.pk)
        with time_machine.travel(local(day.year, day.month, day.day, 23, 59, 59), tick=False):
            months_before = AssessmentPeriod.objects.filter(kind=PeriodKind.MONTHLY).count()
            run_schedules.delay().get()
            assert AssessmentPeriod.objects.filter(kind=PeriodKind.MONTHLY).count() == months_before
        at_day_end[day] = AssessmentPeriod.objects.count()
        day += timedelta(days=1)

    periods = list(AssessmentPeriod.objects.order_by("starts_on", "kind"))
    assert all(p.schedule_id == schedule.pk for p in periods)
    monthly = [p for p in periods if p.kind == PeriodKind.MONTHLY]
    quarters = [p for p in periods if p.kind == PeriodKind.QUARTERLY]
    years = [p for p in periods if p.kind == PeriodKind.ANNUAL]
    # 2027's twelve months and January 2028 (opened on 1 January)
    assert [p.starts_on for p in monthly] == [date(2027, m, 1) for m in range(1, 13)] + [
        date(2028, 1, 1)
    ]
    assert [(p.opens_on, p.closes_on) for p in monthly[:2]] == [
        (date(2027, 1, 1), date(2027, 2, 10)),
        (date(2027, 2, 1), date(2027, 3, 10)),
    ]
    assert [p.starts_on for p in quarters] == [date(2027, m, 1) for m in (1, 4, 7, 10)]
    assert [(y.starts_on, y.ends_on) for y in years] == [(date(2027, 1, 1), date(2027, 12, 31))]

    # each month appears on its opening day, not before
    assert at_day_end[FIRST - timedelta(days=1)] == 0
    assert at_day_end[date(2027, 1, 1)] == 1
    assert at_day_end[date(2027, 3, 31)] == 3
    assert at_day_end[date(2027, 4, 1)] == 4  # April; Q1 has ended but waits for March
    # a quarter appears once its months are all published: March closes on 10 April and is
    # published on the 11th
    assert at_day_end[date(2027, 4, 10)] == 4
    assert at_day_end[date(2027, 4, 11)] == 5
    # Q4 and the year: December published on 11 January 2028, both that evening
    assert at_day_end[date(2028, 1, 10)] == 12 + 3 + 1
    assert at_day_end[date(2028, 1, 11)] == 12 + 4 + 1 + 1
    assert quarters[0].source_slots() == 3 and years[0].source_slots() == 4

    def result(period, unit):
        return period.assessments.get(unit=unit)

    for q, quarter in enumerate(quarters):
        months = [3 * q + 1, 3 * q + 2, 3 * q + 3]
        a1 = result(quarter, org.a1)
        assert a1.total == (sum(a1_total(m) for m in months) / 3).quantize(Decimal("0.01"))
        assert a1.status == Status.PUBLISHED and a1.source_count == 3
        a2 = result(quarter, org.a2)
        a2_sum = sum(a2_total(m) for m in months if m != 2)  # February counts 0
        assert a2.total == (a2_sum / 3).quantize(Decimal("0.01"))
    assert result(quarters[0], org.a2).total == Decimal("48.00")  # (71 + 0 + 73) / 3
    assert list(quarters[0].sources.order_by("starts_on")) == monthly[:3]
    assert not quarters[0].assessments.filter(unit=org.b1).exists()  # never published

    year = years[0]
    assert list(year.sources.order_by("starts_on")) == quarters
    assert result(year, org.a1).total == Decimal("86.50")  # (82 + 85 + 88 + 91) / 4
    assert result(year, org.a2).total == Decimal("70.50")  # (48 + 75 + 78 + 81) / 4
