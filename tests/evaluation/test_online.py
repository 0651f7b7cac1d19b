"""Online scoring (线上考核): the 5521 table's brand index (v2) scored from the brands data,
not typed by the secretary; the reviewer still adjusts it (dual control)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from brands.models import BrandApplication, MediaPublication
from brands.models import Status as BrandStatus
from evaluation.models import Indicator, TableVersion
from evaluation.services import assessments as services

from .conftest import full_marks, make_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return TableVersion.objects.get(table__code="star-5521", number=2)


@pytest.fixture
def online_period(org, version):
    return make_period(org, version=version, name="线上评分考评")


@pytest.fixture
def a1(online_period, org):
    return online_period.assessments.get(unit=org.a1)


def item(version, code) -> Indicator:
    return Indicator.objects.get(dimension__version=version, code=code)


def brand(org, status, **extra):
    return BrandApplication.objects.create(
        unit=org.a1,
        applicant=org.users["secretary"],
        status=status,
        name="网络先锋",
        **extra,
    )


def publish_in_media(app, period, *levels, offset=3):
    for n, level in enumerate(levels):
        MediaPublication.objects.create(
            application=app,
            outlet="人民网",
            media_level=level,
            title=f"报道{n}",
            published_on=period.starts_on + timedelta(days=offset),
            created_by=app.applicant,
        )


def saved(assessment, code):
    return assessment.scores.get(indicator__code=code)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, Decimal(0)),
        (BrandStatus.IN_REVIEW, Decimal(0)),
        (BrandStatus.IMPLEMENTING, Decimal(5)),
        (BrandStatus.ACCEPTANCE, Decimal(5)),
        (BrandStatus.BUILT, Decimal(8)),
    ],
)
def test_brand_creation_is_scored_from_the_brands_status(org, a1, version, status, expected):
    if status:
        brand(org, status)
    entries = full_marks(a1)  # the secretary claims full marks everywhere
    services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=entries)
    row = saved(a1, "pp-1")
    assert item(version, "pp-1").max_points == 8
    assert row.self_score == expected
    assert row.evidence.startswith("系统评分")


def test_media_within_the_period_count_by_level_up_to_the_maximum(org, a1, online_period):
    app = brand(org, BrandStatus.IMPLEMENTING)
    publish_in_media(app, online_period, "national", "city", "internal")  # 3 + 1 + 0.5
    publish_in_media(app, online_period, "national", offset=-40)  # before the period
    services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=full_marks(a1))
    row = saved(a1, "pp-2")
    assert row.self_score == Decimal("4.5") and "3 篇" in row.evidence
    publish_in_media(app, online_period, "national", "provincial")  # 4.5 + 5 > 7
    services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=full_marks(a1))
    assert saved(a1, "pp-2").self_score == Decimal(7)


def test_submission_takes_the_scores_afresh_and_the_reviewer_may_adjust(org, a1):
    app = brand(org, BrandStatus.IMPLEMENTING)
    secretary = org.users["secretary"]
    services.save_draft(actor=secretary, pk=a1.pk, entries=full_marks(a1))
    assert saved(a1, "pp-1").self_score == 5
    BrandApplication.objects.filter(pk=app.pk).update(status=BrandStatus.BUILT)
    services.submit_assessment(actor=secretary, pk=a1.pk)
    a1.refresh_from_db()
    assert saved(a1, "pp-1").self_score == saved(a1, "pp-1").reviewed_score == 8

    pp1 = saved(a1, "pp-1").indicator_id
    services.adjust_scores(
        actor=org.users["city_reviewer"],
        pk=a1.pk,
        changes={pp1: (Decimal(6), "线下验收：品牌案例材料不全")},
    )
    assert saved(a1, "pp-1").reviewed_score == 6


def test_the_form_shows_the_online_score_and_does_not_take_one(client, org, a1, version):
    brand(org, BrandStatus.BUILT)
    client.force_login(org.users["secretary"])
    url = reverse("evaluation:fill", args=[a1.pk])
    body = client.get(url).content.decode()
    pp1 = item(version, "pp-1")
    assert 'data-testid="online-pp-1"' in body and "线上评分" in body
    field = re.search(rf'<input[^>]*name="s{pp1.pk}"[^>]*>', body).group(0)
    assert "disabled" in field and 'value="8.00"' in field
    data = {f"s{pk}": str(e["score"]) for pk, e in full_marks(a1).items()}
    data.update({f"s{pp1.pk}": "0", "save": "1"})  # a forged value for the online item
    client.post(url, data)
    assert saved(a1, "pp-1").self_score == 8


def test_version_1_stays_typed_by_the_secretary(org, period):
    a1_v1 = period.assessments.get(unit=org.a1)
    brand(org, BrandStatus.BUILT)
    entries = full_marks(a1_v1, Decimal("0.5"))
    services.save_draft(actor=org.users["secretary"], pk=a1_v1.pk, entries=entries)
    assert saved(a1_v1, "pp-1").self_score == 4


def test_the_reviewer_and_the_table_page_see_which_items_are_scored_online(client, org, a1):
    brand(org, BrandStatus.BUILT)
    services.save_draft(actor=org.users["secretary"], pk=a1.pk, entries=full_marks(a1))
    services.submit_assessment(actor=org.users["secretary"], pk=a1.pk)
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("evaluation:assessment", args=[a1.pk])).content.decode()
    assert 'data-testid="online-pp-1"' in body and "系统评分：品牌“网络先锋”" in body
    version = a1.period.table_version
    body = client.get(reverse("evaluation:table", args=[version.pk])).content.decode()
    assert 'data-testid="online-pp-1"' in body and 'data-testid="online-pp-2"' in body


def test_the_rules_read_the_brand_once(org, a1, django_assert_num_queries):
    from evaluation import online
    from evaluation.selectors.tables import indicators_for

    brand(org, BrandStatus.BUILT)
    indicators = indicators_for(a1.period.table_version_id, a1.category)
    unit, period = a1.unit, a1.period
    with django_assert_num_queries(2):  # the brand application, its publications in the period
        scored = online.scores(indicators, unit, period)
    assert {i.code for i in indicators if i.pk in scored} == {"pp-1", "pp-2"}
