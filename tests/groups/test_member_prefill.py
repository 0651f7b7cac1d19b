"""A fact typed once (issue #17 item 7): the 双百 member table's 岗位KPI完成 item is pre-filled
from the member's published post-KPI result of the same year (the item's maximum × the result's
share of the KPI table's maximum, the basis beside it); the branch changes it only with a
reason, refused at the field without one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups import services
from groups.models import MemberScore, MemberTable
from groups.services.assessment import field_name, note_name
from groups.services.member_prefill import KPI_ITEM_CODE
from tests.groups.test_member_services import open_, scores, settle_all

pytestmark = pytest.mark.django_db


def kpi_published(org, roster, coefficient="0.80"):
    """2026 post KPI at A1: every member scored full marks (100); Wang's coefficient 0.80."""
    secretary = org.users["secretary"]
    services.set_coefficient(actor=secretary, member=roster.wang, year=2026, value=coefficient)
    kpi = open_(org, table=MemberTable.POST_KPI)
    settle_all(kpi, secretary, points="30")
    services.publish_period(actor=secretary, period_id=kpi.pk)
    return kpi


def item_of(period, member) -> MemberScore:
    return MemberScore.objects.get(
        assessment__period=period, assessment__member=member, indicator__code=KPI_ITEM_CODE
    )


def test_opening_after_the_kpi_is_published_prefills_the_item(org, roster):
    kpi_published(org, roster)
    period = open_(org)
    wang = item_of(period, roster.wang)
    # 100 × 0.80 = 80 of 100: 25 × 80 % = 20
    assert wang.system_points == wang.points == Decimal("20.00")
    assert "2026 年度党员岗位KPI考核结果" in wang.basis and "80" in wang.basis
    assert wang.assessment.total == Decimal("20.00")
    assert item_of(period, roster.li).points == Decimal("25.00")  # coefficient 1: 100 %


def test_without_a_published_kpi_nothing_is_prefilled(org, roster):
    secretary = org.users["secretary"]
    kpi = open_(org, table=MemberTable.POST_KPI)
    settle_all(kpi, secretary, points="30")  # settled, not published
    period = open_(org)
    wang = item_of(period, roster.wang)
    assert wang.system_points is None and wang.points is None and wang.basis == ""
    services.publish_period(actor=secretary, period_id=kpi.pk)  # the open drafts follow
    wang = item_of(period, roster.wang)
    assert wang.system_points == wang.points == Decimal("25.00")
    wang.assessment.refresh_from_db()
    assert wang.assessment.total == Decimal("25.00")
    services.withdraw_publication(actor=secretary, period_id=kpi.pk, reason="更正")
    wang = item_of(period, roster.wang)
    assert wang.system_points is None and wang.points is None


def test_the_figure_is_changed_only_with_a_reason(org, roster):
    kpi_published(org, roster)
    secretary = org.users["secretary"]
    period = open_(org)
    a = period.assessments.get(member=roster.wang)
    item = item_of(period, roster.wang)
    values = {**scores(a), field_name(item.indicator_id): Decimal("20.00")}
    services.score_member(actor=secretary, assessment_id=a.pk, values=values)  # as shown
    assert item_of(period, roster.wang).points == Decimal("20.00")
    values[field_name(item.indicator_id)] = Decimal("23")
    with pytest.raises(ValidationError) as refused:
        services.score_member(actor=secretary, assessment_id=a.pk, values=values, done=True)
    assert note_name(item.indicator_id) in refused.value.message_dict
    values[note_name(item.indicator_id)] = "KPI考核后补交重点任务成果"
    services.score_member(actor=secretary, assessment_id=a.pk, values=values, done=True)
    item = item_of(period, roster.wang)
    assert item.points == Decimal("23.00") and item.system_points == Decimal("20.00")
    assert item.note == "KPI考核后补交重点任务成果"


def test_the_form_shows_the_basis_and_refuses_at_the_field(client, org, roster):
    kpi_published(org, roster)
    period = open_(org)
    a = period.assessments.get(member=roster.wang)
    item = item_of(period, roster.wang)
    url = reverse("groups:member_assessment", args=[a.pk])
    client.force_login(org.users["secretary"])
    page = client.get(url).content.decode()
    assert "系统预填 20.00 分" in page and note_name(item.indicator_id) in page
    data = {**scores(a), field_name(item.indicator_id): "23", "save": ""}
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors[note_name(item.indicator_id)] == [
        "改动系统预填分，请说明理由。"
    ]
    assert 'value="23"' in response.content.decode()
    data[note_name(item.indicator_id)] = "补交成果"
    assert client.post(url, data).status_code == 302
    assert item_of(period, roster.wang).note == "补交成果"
