"""The brand five-force table's online rules (evaluation/online_brands.py, five-force v2): each
item's method as a share of its maximum, from what the portal knows about the branch's brand
in the period; one unit or a batch give the same."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from brands.models import MediaPublication, Pairing, Status
from evaluation import online
from evaluation.selectors.published import FIVE_FORCES
from evaluation.selectors.tables import latest_published
from tests.factories.brands import BrandApplicationFactory

pytestmark = pytest.mark.django_db

PERIOD = SimpleNamespace(starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 6, 30))


def scored(unit):
    _version, indicators = latest_published(FIVE_FORCES)
    codes = {i.pk: i.code for i in indicators}
    return {codes[pk]: r for pk, r in online.scores(indicators, unit, PERIOD).items()}


def publish(app, level, on, user):
    MediaPublication.objects.create(
        application=app, outlet="报", media_level=level, title="t", published_on=on, created_by=user
    )


def test_without_a_brand_nothing_is_earned(org):
    found = scored(org.a1)
    assert set(found) == {"cbl-1", "cbl-2", "yxl-1", "yxl-2"}
    assert {r.score for r in found.values()} == {Decimal(0)}
    assert "尚未申报品牌" in found["cbl-1"].basis


def test_each_item_follows_its_method(org):
    secretary = org.users["secretary"]
    app = BrandApplicationFactory(unit=org.a1, applicant=secretary, status=Status.BUILT)
    for level, day in [("provincial", 3), ("internal", 5), ("city", 9), ("internal", 12)]:
        publish(app, level, datetime.date(2030, 2, day), secretary)
    publish(app, "national", datetime.date(2029, 12, 31), secretary)  # before the period
    found = scored(org.a1)
    assert found["cbl-1"].score == Decimal(8) and "品牌标识" in found["cbl-1"].basis
    assert found["cbl-2"].score == Decimal(8)  # four in the period, 2 each
    assert found["yxl-1"].score == Decimal(0) and "未登记结对帮扶" in found["yxl-1"].basis
    assert found["yxl-2"].score == Decimal(10) and "省级" in found["yxl-2"].basis
    publish(app, "city", datetime.date(2030, 3, 1), secretary)
    publish(app, "city", datetime.date(2030, 3, 2), secretary)
    Pairing.objects.create(
        application=app, partner=org.a2, started_on=PERIOD.starts_on, created_by=secretary
    )
    found = scored(org.a1)
    assert found["cbl-2"].score == Decimal(10)  # capped at the item's maximum
    assert found["yxl-1"].score == Decimal(10)


def test_a_batch_reads_the_pairings_once_and_agrees(org, django_assert_num_queries):
    secretary = org.users["secretary"]
    for unit in (org.a1, org.a2):
        app = BrandApplicationFactory(unit=unit, applicant=secretary, status=Status.BUILT)
        Pairing.objects.create(
            application=app, partner=org.b1, started_on=PERIOD.starts_on, created_by=secretary
        )
    _version, indicators = latest_published(FIVE_FORCES)
    units = [org.a1, org.a2, org.b1]
    with django_assert_num_queries(3):  # applications, publications, pairings
        batch = online.scores_of_units(indicators, units, PERIOD)
    for unit in units:
        assert batch[unit.pk] == online.scores(indicators, unit, PERIOD)
