"""逐级晋升 (seed 003: stars rise level by level): under a table's step rule a quarter's star
(季评星) rises at most `max_star_rise` above the branch's previous quarter; the star its rate
earns is kept and shown, the tier follows the star given."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from evaluation.models import PeriodKind, TableVersion
from evaluation.scoring import stepped_star
from evaluation.services import periods as period_services

from ..clock import local
from .conftest import make_period
from .test_aggregate_rhythm import publish_month

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("star", "previous", "max_rise", "expected"),
    [
        (5, 2, 1, 3),  # two levels too many
        (3, 2, 1, 3),  # exactly one up
        (2, 4, 1, 2),  # falling is never limited
        (4, 4, 1, 4),
        (5, 2, 2, 4),
        (3, 0, 1, 2),  # the previous quarter was voided: from 1 star
        (5, None, 1, 5),  # no previous result: a first rating
        (5, 2, None, 5),  # no rule
        (None, 2, 1, None),  # voided now: no star
    ],
)
def test_the_step_rule(star, previous, max_rise, expected):
    assert stepped_star(star, previous, max_rise) == expected


def quarter(org, first_month, fraction, name):
    """Three published months of A1 at `fraction`, and their quarter aggregated after it."""
    months = [first_month.replace(month=first_month.month + i) for i in range(3)]
    with time_machine.travel(local(months[-1].year, months[-1].month, 28, 10), tick=False):
        for month in months:
            publish_month(org, month, fraction)
        ends = (months[-1].replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        period = make_period(
            org,
            kind=PeriodKind.QUARTERLY,
            starts=months[0],
            ends=ends - datetime.timedelta(days=1),
            is_aggregate=True,
            name=name,
        )
    with time_machine.travel(local(ends.year, ends.month, 1, 9), tick=False):
        period_services.aggregate(actor=org.users["province_reviewer"], pk=period.pk)
    return period.assessments.get(unit=org.a1)


@pytest.fixture
def step_rule(org):
    """The table A1 is scored on rises at most one star a quarter."""
    period = make_period(org, name="取表")
    TableVersion.objects.filter(pk=period.table_version_id).update(max_star_rise=1)
    period.delete()


def test_a_quarter_rises_one_star_above_the_last(org, step_rule):
    q3 = quarter(org, datetime.date(2026, 7, 1), "0.65", "三季度")
    assert (q3.star, q3.star_by_rate, q3.tier) == (2, None, 3)  # first rating: not limited
    q4 = quarter(org, datetime.date(2026, 10, 1), "0.95", "四季度")
    assert q4.rate >= Decimal(90)  # the rate earns five stars
    assert (q4.star, q4.star_by_rate, q4.tier) == (3, 5, 2)


def test_without_the_rule_the_rate_decides(org):
    quarter(org, datetime.date(2026, 7, 1), "0.65", "三季度")
    q4 = quarter(org, datetime.date(2026, 10, 1), "0.95", "四季度")
    assert (q4.star, q4.star_by_rate, q4.tier) == (5, None, 1)


def test_the_branch_sees_why_its_star_is_lower_than_its_rate(client, org, step_rule):
    quarter(org, datetime.date(2026, 7, 1), "0.65", "三季度")
    q4 = quarter(org, datetime.date(2026, 10, 1), "0.95", "四季度")
    client.force_login(org.users["secretary"])
    body = client.get(f"/evaluation/assessments/{q4.pk}/").content.decode()
    assert 'data-star="3"' in body
    assert "得分率对应 5 星，按逐级晋升规则评定" in body
