"""Rankings, radar, trend and the xlsx export of a period's results."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import exports
from evaluation.models import Assessment
from evaluation.services import assessments as services
from evaluation.services.ranking import ranked
from tests.factories import OrgUnitFactory

from .conftest import close, fill_and_submit, make_period, publish_all


def workbook(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content), read_only=True)


def test_ranks_within_category_region_and_province(org, period):
    """A1 90 (production, north), A2 80 (market, north), B1 70 (production, south)."""
    publish_all(org, period)
    ranks = {
        a.unit.code: (a.rank_province, a.rank_category, a.rank_region)
        for a in period.assessments.select_related("unit")
    }
    assert ranks == {"A1": (1, 1, 1), "A2": (2, 1, 2), "B1": (3, 2, 1)}


def test_equal_totals_share_a_rank_and_a_veto_ranks_last(org, period):
    publish_all(org, period, {"A1": Decimal("0.8"), "A2": Decimal("0.8"), "B1": Decimal("0")})
    values = dict(ranked(period.pk).values_list("unit__code", "r_province"))
    assert values == {"A1": 1, "A2": 1, "B1": 3}


def test_rankings_page_lists_the_subtree_with_province_wide_ranks(client, org, period):
    publish_all(org, period)
    client.force_login(org.rev_b)  # city B sees only B1, ranked 3rd province-wide
    body = client.get(reverse("evaluation:rankings", args=[period.pk])).content.decode()
    assert body.count('data-testid="ranking-row"') == 1
    assert 'data-testid="rank-province">3<' in body and "甲市" not in body.split("<main")[1]
    client.force_login(org.users["province_reviewer"])
    response = client.get(
        reverse("evaluation:rankings", args=[period.pk]), {"category": "production"}
    )
    assert response.content.decode().count('data-testid="ranking-row"') == 2


def test_rankings_paginate(client, org, period):
    publish_all(org, period)
    for i in range(35):
        unit = OrgUnitFactory(parent=org.city_b, code=f"P{i}", category="market")
        Assessment.objects.create(
            period=period,
            unit=unit,
            category="market",
            status="published",
            total=Decimal(i),
            rank_province=4 + i,
        )
    client.force_login(org.users["province_reviewer"])
    url = reverse("evaluation:rankings", args=[period.pk])
    assert client.get(url).content.decode().count('data-testid="ranking-row"') == 30
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="ranking-row"') == 8


def test_radar_svg_is_served_with_chinese_labels_and_category_average(client, org, period):
    publish_all(org, period)
    a1 = period.assessments.get(unit=org.a1)
    client.force_login(org.users["secretary"])
    response = client.get(reverse("evaluation:radar", args=[a1.pk]))
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "星级队伍" in svg and "星级服务" in svg
    assert 'data-testid="radar-average"' in svg and "同类别平均" in svg
    assert "均" in svg  # the production average of A1 (90) and B1 (70)


def test_trend_over_periods(client, org):
    first = make_period(org, name="一月考评")
    publish_all(org, first)
    second = make_period(org, starts=first.starts_on.replace(day=2), name="二月考评")
    publish_all(org, second, {"A1": Decimal("0.6")})
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:trend", args=[org.a1.pk])).content.decode()
    assert body.count('data-testid="trend-row"') == 2 and 'data-testid="trend-chart"' in body
    assert body.index("一月考评") < body.index("二月考评")
    client.force_login(org.sec_b1)
    assert client.get(reverse("evaluation:trend", args=[org.a1.pk])).status_code == 403


def test_trend_empty_state(client, org):
    client.force_login(org.users["secretary"])
    body = client.get(reverse("evaluation:trend", args=[org.a1.pk])).content.decode()
    assert 'data-testid="empty-state"' in body


def test_export_one_row_per_branch_of_the_exporters_subtree(
    client, org, period, django_capture_on_commit_callbacks
):
    publish_all(org, period)
    client.force_login(org.users["city_reviewer"])
    with django_capture_on_commit_callbacks(execute=True):  # eagerly: generated in the request
        client.post(reverse("evaluation:export", args=[period.pk]))
    response = client.get(reverse("evaluation:export_download", args=[period.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    rows = list(workbook(response).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == ["A1", "A2"]  # city A only, tree order
    column = {name: i for i, name in enumerate(header)}
    a1 = dict(zip(header, body[0], strict=True))
    assert a1["最终得分"] == 90 and a1["星级"] == 5 and a1["全省排名"] == 1
    assert a1["类别排名"] == 1 and a1["所属党委"] == "甲市分公司党委"
    assert a1["星级队伍·班子建设（10）"] == 9
    # category variants: A1 has the production item, not the market one
    assert a1["星级业绩·发挥作用·产量（生产类）（8）"] == 7.2
    assert a1["星级业绩·发挥作用·产量（市场经营类）（8）"] is None
    assert body[1][column["星级业绩·发挥作用·产量（市场经营类）（8）"]] == 6.4
    assert "维度·星级业绩" in header


def test_export_scoped_for_a_branch_secretary_is_refused(client, org, period):
    client.force_login(org.users["secretary"])
    for route in ("evaluation:export", "evaluation:export_download"):
        assert client.get(reverse(route, args=[period.pk])).status_code == 403
    assert client.post(reverse("evaluation:export", args=[period.pk])).status_code == 403


def test_export_reads_with_a_constant_number_of_queries(org, period, django_assert_num_queries):
    publish_all(org, period)
    user = org.users["province_reviewer"]
    user.role_assignments  # noqa: B018 -- loaded once per request
    # indicators, dimensions, committees, then the assessments and their two kinds of scores
    with django_assert_num_queries(6) as few, exports.results_workbook(user, period) as out:
        load_workbook(out, read_only=True)
    for i in range(30):
        unit = OrgUnitFactory(parent=org.city_b, code=f"E{i}", category="market")
        Assessment.objects.create(period=period, unit=unit, category="market")
    same = django_assert_num_queries(len(few.captured_queries))
    with same, exports.results_workbook(user, period) as out:
        rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 + 30


@pytest.mark.django_db
def test_aggregate_page_explains_the_rule(client, org):
    from evaluation.models import PeriodKind

    month = make_period(org, name="一月")
    quarter = make_period(
        org,
        kind=PeriodKind.QUARTERLY,
        starts=month.starts_on,
        ends=month.ends_on,
        is_aggregate=True,
        name="一季度",
    )
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("evaluation:period", args=[quarter.pk])).content.decode()
    assert 'data-testid="aggregation-rule"' in body and "÷ 本期应有的来源周期数（1 个）" in body
    assert 'data-testid="aggregate-button"' in body and "一月" in body
    a = fill_and_submit(month.assessments.get(unit=org.a1), org.users["secretary"])
    services.accept(actor=org.users["city_reviewer"], pk=a.pk)
    close(month)
    client.post(reverse("evaluation:period_publish", args=[month.pk]), {"unit": org.province.pk})
    url = reverse("evaluation:period_aggregate", args=[quarter.pk])
    early = client.post(url, follow=True).content.decode()
    assert "结束后才能汇总" in early and not quarter.assessments.exists()
    day_after = quarter.ends_on + datetime.timedelta(days=1)
    after_the_end = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(10)))
    with time_machine.travel(after_the_end, tick=False):
        client.force_login(org.users["province_reviewer"])
        response = client.post(url, follow=True)
    assert "汇总完成：1 个单位" in response.content.decode()
    assert quarter.assessments.get().total == 100
