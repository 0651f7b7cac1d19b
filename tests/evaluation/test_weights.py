"""Per-category section weights (分类权重, #18 item 2): a version may weigh a dimension for the
branches of one category; the total and the maximum of such a branch use the weight, others
and dimensions without a weight count once (the previous behaviour)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import scoring, table_xlsx
from evaluation.models import Assessment, Dimension, DimensionWeight, TableVersion
from evaluation.scoring import BASIC, DEDUCTION, Item
from evaluation.selectors.tables import version_with_rows, weights_by_version, weights_for
from evaluation.services import tables as table_services

from .conftest import fill_and_submit, make_period

D1, D2 = 1, 2
ITEMS = [
    Item(1, D1, BASIC, Decimal(40)),
    Item(2, D2, BASIC, Decimal(60)),
    Item(3, D2, DEDUCTION, Decimal(10)),
]
SCORES = {1: "30", 2: "45", 3: "5"}  # D1 30/40, D2 45-5 = 40/60


def test_no_weight_is_the_unweighted_total():
    plain = scoring.compute(ITEMS, SCORES)
    assert (plain.total, plain.max_total) == (Decimal(70), Decimal(100))
    assert scoring.compute(ITEMS, SCORES, weights={}) == plain
    assert scoring.compute(ITEMS, SCORES, weights={D1: 1, D2: "1.00"}) == plain


@pytest.mark.parametrize(
    ("weights", "total", "maximum", "rate"),
    [
        ({D1: 2}, Decimal(100), Decimal(140), Decimal("71.43")),  # 30×2 + 40
        ({D1: 0}, Decimal(40), Decimal(60), Decimal("66.67")),  # D1 left out entirely
        ({D1: 0, D2: 0}, Decimal(0), Decimal(0), Decimal(0)),  # nothing to earn: rate 0
        ({D2: "0.5"}, Decimal(50), Decimal(70), Decimal("71.43")),  # the deduction is weighed too
        ({D1: 10, D2: 10}, Decimal(700), Decimal(1000), Decimal(70)),  # the largest weight
        ({D1: "0.01"}, Decimal("40.30"), Decimal("60.40"), Decimal("66.72")),  # the smallest
    ],
)
def test_weights_scale_score_and_maximum_alike(weights, total, maximum, rate):
    result = scoring.compute(ITEMS, SCORES, weights=weights)
    assert (result.total, result.max_total, result.rate) == (total, maximum, rate)
    assert result.dimensions == {D1: Decimal(30), D2: Decimal(40)}  # the radar stays unweighted
    assert result.dimension_max == {D1: Decimal(40), D2: Decimal(60)}
    assert scoring.maximum(ITEMS, weights) == maximum


def test_the_bonus_is_added_after_the_weights():
    result = scoring.compute(ITEMS, SCORES, weights={D1: 2}, bonus="3")
    assert (result.total, result.bonus, result.max_total) == (Decimal(103), 3, Decimal(140))


# --- in the database ------------------------------------------------------------------------


def star_version():
    return TableVersion.objects.get(table__code="star-5521", number=1)


@pytest.fixture
def weighted(db):
    """The shipped 5521 v1 with its first dimension weighing 2 for production branches
    (rows written past the frozen-version guard, as a data migration would)."""
    version = star_version()
    first = Dimension.objects.filter(version=version).order_by("sort_order").first()
    DimensionWeight.objects.bulk_create(
        [DimensionWeight(dimension=first, category="production", weight=Decimal(2))]
    )
    return version, first


def test_weights_are_read_for_the_branch_category_only(weighted):
    version, first = weighted
    assert weights_for(version.pk, "production") == {first.pk: Decimal(2)}
    assert weights_for(version.pk, "market") == {}
    assert weights_for(version.pk, "") == {}
    assert weights_by_version(version.pk) == {first.pk: {"production": Decimal(2)}}


@pytest.mark.django_db
def test_a_production_branch_total_uses_the_weight_and_a_market_branch_does_not(org, weighted):
    from tests.factories import grant

    version, first = weighted
    period = make_period(org, version=version)
    grant(org.users["secretary"], org.a2, "secretary")
    a1 = fill_and_submit(period.assessments.get(unit=org.a1), org.users["secretary"])
    a2 = fill_and_submit(period.assessments.get(unit=org.a2), org.users["secretary"])
    a1, a2 = Assessment.objects.get(pk=a1.pk), Assessment.objects.get(pk=a2.pk)
    first_max = a1.dimension_scores.get(dimension=first).max_points
    assert a2.max_total == 100 and a2.total == 100  # full marks, unweighted
    assert a1.max_total == 100 + first_max  # production: the first dimension counts twice
    assert a1.total == a1.max_total and a1.rate == 100
    assert a1.dimension_scores.get(dimension=first).score == first_max  # stored unweighted


@pytest.mark.django_db
def test_a_weight_is_bounded_by_the_database(weighted):
    _version, first = weighted
    row = DimensionWeight(dimension=first, category="market", weight=Decimal("10.01"))
    with pytest.raises(ValidationError):
        row.full_clean()


@pytest.mark.django_db
def test_a_published_version_keeps_its_weights(weighted):
    _version, first = weighted
    with pytest.raises(ValidationError, match="已发布的评价表版本不可修改"):
        DimensionWeight(dimension=first, category="market", weight=Decimal(1)).save()


@pytest.mark.django_db
def test_a_new_version_copies_weights_and_bonus_cap(org, weighted):
    version, first = weighted
    TableVersion.objects.filter(pk=version.pk).update(bonus_cap=Decimal(5))
    copy = table_services.new_version(actor=org.users["admin"], pk=version.pk)
    assert copy.bonus_cap == Decimal(5)
    copied = weights_by_version(copy.pk)
    (dimension_id,) = copied
    assert Dimension.objects.get(pk=dimension_id).code == first.code
    assert copied[dimension_id] == {"production": Decimal(2)}


def _export(version):
    version, groups = version_with_rows(version.pk)
    with table_xlsx.write_version(version, groups, weights_by_version(version.pk)) as f:
        return f.read()


@pytest.mark.django_db
def test_the_xlsx_settings_show_and_bring_back_weights_and_cap(org, weighted):
    version, first = weighted
    TableVersion.objects.filter(pk=version.pk).update(bonus_cap=Decimal("7.5"))
    data = _export(TableVersion.objects.get(pk=version.pk))
    book = load_workbook(io.BytesIO(data))
    assert ["加分上限", 7.5] in [[c.value for c in row] for row in book["评价表"]]
    rows = [[c.value for c in row] for row in book["分类权重"]]
    assert rows == [
        ["维度编码", "维度名称", "适用支部类别", "权重"],
        [first.code, first.name, "生产类", 2],
    ]
    imported = table_services.import_table(
        actor=org.users["admin"], upload=SimpleUploadedFile("t.xlsx", data)
    )
    assert imported.bonus_cap == Decimal("7.5")
    (dimension_id,) = weights_by_version(imported.pk)
    assert weights_by_version(imported.pk)[dimension_id] == {"production": Decimal(2)}


@pytest.mark.django_db
def test_bad_weight_rows_are_refused_with_row_numbers(org, weighted):
    version, first = weighted
    book = load_workbook(io.BytesIO(_export(version)))
    sheet = book["分类权重"]
    sheet.append(["nope", "", "生产类", 1])
    sheet.append([first.code, "", "外星类", 1])
    sheet.append([first.code, "", "市场经营类", 11])
    sheet.append([first.code, "", "生产类", 3])  # the category again
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as exc:
        table_services.import_table(
            actor=org.users["admin"], upload=SimpleUploadedFile("t.xlsx", out.getvalue())
        )
    text = "\n".join(exc.value.messages)
    assert "“分类权重”第 3 行：维度编码 nope 不在“指标”工作表中" in text
    assert "第 4 行：适用支部类别无效：外星类" in text
    assert "第 5 行：权重应为 0 到 10 之间" in text
    assert "第 6 行：该维度的这一类别重复" in text


@pytest.mark.django_db
def test_the_table_page_shows_weights_and_cap(client, org, weighted):
    version, first = weighted
    client.force_login(org.users["secretary"])
    page = client.get(reverse("evaluation:table", args=[version.pk])).content.decode()
    assert "生产类 ×2" in page
    assert "不设加分项" in page


@pytest.mark.django_db
def test_a_quarter_keeps_the_weighted_maximum_and_the_mean_bonus(org, weighted):
    """The aggregate's maximum is the category's weighted maximum (the months' totals are
    weighted already), its bonus the months' mean."""
    import datetime

    import time_machine

    from evaluation.models import PeriodKind
    from evaluation.services import assessments as services
    from evaluation.services import bonus
    from evaluation.services import periods as period_services

    from ..clock import local
    from .conftest import close

    version, first = weighted
    TableVersion.objects.filter(pk=version.pk).update(bonus_cap=Decimal(6))
    with time_machine.travel(local(2026, 12, 5, 10), tick=False):
        for month in (10, 11):
            starts = datetime.date(2026, month, 1)
            period = make_period(org, version=version, starts=starts, ends=starts.replace(day=28))
            a1 = period.assessments.get(unit=org.a1)
            fill_and_submit(a1, org.users["secretary"])
            if month == 10:
                bonus.record_bonus(
                    actor=org.users["city_reviewer"], pk=a1.pk, points_value="6", reason="抢修"
                )
            services.accept(actor=org.users["city_reviewer"], pk=a1.pk)
            close(period)
            period_services.publish(
                actor=org.users["province_reviewer"], pk=period.pk, unit=org.province
            )
        quarter = make_period(
            org,
            version=version,
            kind=PeriodKind.QUARTERLY,
            starts=datetime.date(2026, 10, 1),
            ends=datetime.date(2026, 12, 31),
            is_aggregate=True,
            name="四季度",
        )
    with time_machine.travel(local(2027, 1, 1, 0, 0, 1), tick=False):
        period_services.aggregate(actor=org.users["province_reviewer"], pk=quarter.pk)
    october = Assessment.objects.get(period__name__startswith="2026年10月", unit=org.a1)
    a1 = quarter.assessments.get(unit=org.a1)
    assert a1.max_total == october.max_total > 100  # weighted, as in the months
    assert a1.bonus == Decimal(2)  # (6 + 0 + 0) / 3
    assert a1.total == scoring.q((october.total + october.max_total) / 3)
