"""The schedules' service: who may set a rhythm, that a run creates each period once (twice in
a row, two at once on PostgreSQL, or a duplicate inserted behind its back), and that an
aggregate waits for its months to be published."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from evaluation.models import AssessmentPeriod, PeriodKind, Schedule, ScoringTable
from evaluation.services import schedules
from tests.clock import local
from tests.conftest import run_concurrently
from tests.factories import Org
from workflow.models import AuditEntry


def data(org, **changes):
    return {
        "table": ScoringTable.objects.get(code="six-good"),
        "scope": org.province,
        "first_month": date(2027, 1, 15),
        "open_day": 1,
        "close_day": 10,
        "quarterly": True,
        "annual": True,
        "is_active": True,
    } | changes


def test_the_province_sets_a_rhythm_once_and_changes_are_audited(org):
    province = org.users["province_reviewer"]
    schedule = schedules.save_schedule(actor=province, data=data(org))
    assert schedule.first_month == date(2027, 1, 1)  # the month, as its first day
    with pytest.raises(ValidationError, match="已为该评价表设置了考评日程"):
        schedules.save_schedule(actor=province, data=data(org))
    schedules.save_schedule(actor=province, data=data(org, close_day=15), pk=schedule.pk)
    entry = AuditEntry.objects.filter(object_id=schedule.pk, action="change").get()
    assert "填报截止日（次月）：10 → 15" in entry.comment


def test_a_year_without_quarters_is_refused(org):
    with pytest.raises(ValidationError, match="须同时启用季度汇总"):
        schedules.save_schedule(
            actor=org.users["province_reviewer"], data=data(org, quarterly=False)
        )


@pytest.mark.parametrize("who", ["secretary", "city_reviewer", "member"])
def test_only_the_province_sets_the_provinces_rhythm(org, who):
    with pytest.raises(PermissionDenied):
        schedules.save_schedule(actor=org.users[who], data=data(org))
    assert not Schedule.objects.exists()


def test_a_run_creates_the_month_once(org):
    schedule = schedules.save_schedule(actor=org.users["province_reviewer"], data=data(org))
    with time_machine.travel(local(2027, 1, 1, 0, 0, 0), tick=False):
        (period,) = schedules.run_schedule(schedule.pk, date(2027, 1, 1))
        assert schedules.run_schedule(schedule.pk, date(2027, 1, 1)) == []
    assert period.kind == PeriodKind.MONTHLY and period.created_by is None
    assert period.name == "2027年1月“六好”党支部建设考核评价表（月评价）"
    assert period.assessments.count() == 3  # A1, A2, B1
    assert AuditEntry.objects.filter(object_id=period.pk, action="create").exists()


def test_the_database_refuses_a_second_copy_of_a_scheduled_period(org):
    schedule = schedules.save_schedule(actor=org.users["province_reviewer"], data=data(org))
    (period,) = schedules.run_schedule(schedule.pk, date(2027, 1, 1))
    period.pk = None
    period.name = "另一个"
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


def test_a_quarter_waits_for_its_months_to_be_published(org):
    schedule = schedules.save_schedule(actor=org.users["province_reviewer"], data=data(org))
    with time_machine.travel(local(2027, 4, 20), tick=False):
        schedules.run_schedule(schedule.pk, date(2027, 4, 20))
    kinds = list(AssessmentPeriod.objects.values_list("kind", flat=True))
    assert kinds.count(PeriodKind.MONTHLY) == 4
    assert PeriodKind.QUARTERLY not in kinds  # Q1 has ended, nothing is published


def test_an_inactive_schedule_creates_nothing(org):
    schedule = schedules.save_schedule(
        actor=org.users["province_reviewer"], data=data(org, is_active=False)
    )
    assert schedules.run_schedules(local(2027, 3, 1)) == 0
    assert schedules.run_schedule(schedule.pk, date(2027, 3, 1)) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs DATABASE_URL pointing at PostgreSQL",
)
def test_two_runs_at_once_create_one_period(postgres):
    org = Org()
    schedule = schedules.save_schedule(actor=org.users["province_reviewer"], data=data(org))
    with time_machine.travel(local(2027, 2, 1, 0, 5), tick=False):
        results = run_concurrently(
            lambda: len(schedules.run_schedule(schedule.pk, date(2027, 2, 1))),
            lambda: len(schedules.run_schedule(schedule.pk, date(2027, 2, 1))),
        )
    assert sorted(results) == [0, 2], results  # January and February, by one of the two
    assert AssessmentPeriod.objects.filter(schedule=schedule).count() == 2


def test_an_empty_assessment_sets_every_column_that_needs_a_value():
    """`periods._insert_assessments` writes assessments with one INSERT … SELECT naming its
    columns: a new column without null or a database default must be added there."""
    from evaluation.models import Assessment
    from evaluation.services.periods import EMPTY_ASSESSMENT_COLUMNS

    required = {
        f.column
        for f in Assessment._meta.concrete_fields
        if not f.null and not f.primary_key and f.db_default is models.NOT_PROVIDED
    }
    assert required <= set(EMPTY_ASSESSMENT_COLUMNS), required - set(EMPTY_ASSESSMENT_COLUMNS)


def test_a_scheduled_month_copies_each_units_committee_and_category(org):
    schedule = schedules.save_schedule(actor=org.users["province_reviewer"], data=data(org))
    (period,) = schedules.run_schedule(schedule.pk, date(2027, 1, 1))
    rows = {
        a.unit_id: (a.committee_id, a.category, a.region_id, a.status)
        for a in period.assessments.all()
    }
    assert rows == {
        org.a1.pk: (org.city_a.pk, org.a1.category, org.a1.region_id, "draft"),
        org.a2.pk: (org.city_a.pk, org.a2.category, org.a2.region_id, "draft"),
        org.b1.pk: (org.city_b.pk, org.b1.category, org.b1.region_id, "draft"),
    }
