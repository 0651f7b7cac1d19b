"""季评星 averages over the months of the quarter, not over the periods that happen to exist:
a Q4 aggregated from October and November alone divides by 3 (December counts 0), and no
quarter is aggregated before it has ended (Asia/Shanghai)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from evaluation import scoring
from evaluation.models import AssessmentPeriod, PeriodKind
from evaluation.services import assessments as services
from evaluation.services import periods as period_services
from evaluation.services.assessments import EvaluationError

from ..clock import local
from .conftest import close, fill_and_submit, make_period

pytestmark = pytest.mark.smoke

Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def publish_month(org, month, fraction):
    """A monthly period of `month` with A1 scored at `fraction`, accepted and published."""
    period = make_period(org, starts=month, ends=month.replace(day=28), name=f"{month:%m}月")
    a1 = period.assessments.get(unit=org.a1)
    fill_and_submit(a1, org.users["secretary"], Decimal(fraction))
    services.accept(actor=org.users["city_reviewer"], pk=a1.pk)
    close(period)
    period_services.publish(actor=org.users["province_reviewer"], pk=period.pk, unit=org.province)


@pytest.fixture
def q4_without_december(org):
    """October (90 points) and November (90.6) published; December never created."""
    with time_machine.travel(local(2026, 12, 5, 10), tick=False):
        publish_month(org, datetime.date(2026, 10, 1), "0.9")
        publish_month(org, datetime.date(2026, 11, 1), "0.906")
        return make_period(
            org,
            kind=PeriodKind.QUARTERLY,
            starts=Q4[0],
            ends=Q4[1],
            is_aggregate=True,
            name="四季度",
        )


def test_a_quarter_spans_three_months_and_a_year_four_quarters(org):
    quarter = AssessmentPeriod(kind=PeriodKind.QUARTERLY, starts_on=Q4[0], ends_on=Q4[1])
    year = AssessmentPeriod(
        kind=PeriodKind.ANNUAL,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    assert (quarter.source_slots(), year.source_slots()) == (3, 4)


def test_a_quarter_is_not_aggregated_before_it_ends(org, q4_without_december):
    province = org.users["province_reviewer"]
    for instant in (local(2026, 12, 5, 10), local(2026, 12, 31, 23, 59, 59)):
        with (
            time_machine.travel(instant, tick=False),
            pytest.raises(EvaluationError, match="2026年12月31日 结束，结束后才能汇总"),
        ):
            period_services.aggregate(actor=province, pk=q4_without_december.pk)


def test_two_published_months_of_three_divide_by_three(org, q4_without_december):
    with time_machine.travel(local(2027, 1, 1, 0, 0, 0), tick=False):
        period_services.aggregate(actor=org.users["province_reviewer"], pk=q4_without_december.pk)
    a1 = q4_without_december.assessments.get(unit=org.a1)
    # (90 + 90.6 + 0) / 3, not (90 + 90.6) / 2 = 90.30
    assert a1.total == Decimal("60.20") and a1.source_count == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "n"),
    [
        (["0.01", "0.01"], 4),  # 0.005 → 0.01 (half up)
        (["0.01"], 4),  # 0.0025 → 0.00
        (["0.03", "0.03"], 4),  # 0.015 → 0.02
        (["-0.01", "-0.01"], 4),  # -0.005 → -0.01 (half away from zero, as Decimal's HALF_UP)
        (["90", "90.6"], 3),  # 60.20, the quarter above
        (["0.01", "0.02"], 2),  # 0.015 → 0.02
        (["33.33", "33.33", "33.34"], 3),  # 33.333… → 33.33
    ],
)
def test_the_means_written_in_sql_round_as_scoring_does(values, n):
    """The aggregate's dimension and item rows are averaged by the database
    (`periods._mean`): the same cents as `scoring.mean_over_periods`, halves included."""
    from django.db import connection

    rows = " UNION ALL ".join(["SELECT CAST(%s AS DECIMAL(7, 2)) AS v"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {period_services._mean('t.v', n)} FROM ({rows}) t", values)  # noqa: S608
        (got,) = cursor.fetchone()
    expected = scoring.mean_over_periods(sum(Decimal(v) for v in values), n)
    assert Decimal(str(got)).quantize(Decimal("0.01")) == expected
