"""The pairing form lists at most `PARTNERS_SHOWN` candidate partners, found by branch name or
code (issues #18/#19: a provincial brand of a 100,000-branch province may pair with tens of
thousands of branches); any valid partner may still be posted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brands import lifecycle
from brands.models import Level, Pairing, Status
from tests.factories import BrandApplicationFactory, OrgUnitFactory

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def provincial(org):
    return BrandApplicationFactory(
        unit=org.a1, applicant=org.users["secretary"], status=Status.BUILT, level=Level.PROVINCIAL
    )


def branches(org, n, start=0):
    """`n` more unbranded branches of 甲市, after 甲市市场部党支部 (A2) in tree order."""
    return [
        OrgUnitFactory(parent=org.city_a, name=f"甲市第{i}支部", code=f"AX{i:03d}")
        for i in range(start, start + n)
    ]


def form_of(body):
    return body.split('data-testid="pairing-form"', 1)[1].split("</form>", 1)[0]


def options(body):
    """The partner select's options (without the empty one)."""
    select = form_of(body).split('name="partner"', 1)[1].split("</select>", 1)[0]
    return select.count("<option") - 1


def partner_errors(body):
    return form_of(body).split('id="div_id_partner"', 1)[1].split('id="div_id_started_on"')[0]


@pytest.fixture
def page(client, org, provincial):
    client.force_login(org.users["secretary"])
    return reverse("brands:lifecycle", args=[provincial.pk])


def test_at_most_partners_shown_are_listed_with_a_note_in_as_many_queries(
    client, org, page, django_assert_num_queries, django_assert_max_num_queries
):
    assert lifecycle.PARTNERS_SHOWN == 200
    branches(org, 4)  # 5 candidates with A2
    with django_assert_max_num_queries(40) as few:
        body = client.get(page).content.decode()
    assert options(body) == 5 and 'data-testid="shortlist-more"' not in body
    branches(org, 245, start=4)  # 250 candidates
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(page).content.decode()
    assert options(body) == 200
    assert "下拉框按组织顺序只列出前 200 个，还有更多" in body
    assert f'<option value="{org.a2.pk}">' in body  # the first in tree order
    assert "甲市第199支部" not in body and "甲市第198支部" in body


def test_the_search_finds_by_name_or_code_and_keeps_what_was_typed(client, org, page, provincial):
    branches(org, 3)
    assert options(client.get(page, {"pairing_q": "市场部"}).content.decode()) == 1
    body = client.post(
        reverse("brands:add_pairing", args=[provincial.pk]),
        {"pairing_q": " ax002 ", "find": "1", "started_on": YESTERDAY.isoformat(), "note": "共建"},
    ).content.decode()
    assert options(body) == 1 and "甲市第2支部" in form_of(body)
    assert 'value="AX002"' not in body and 'name="pairing_q" value="ax002"' in body
    assert f'value="{YESTERDAY.isoformat()}"' in form_of(body) and "共建</textarea>" in body
    assert "invalid-feedback" not in form_of(body)  # a search is not a failed registration
    assert not Pairing.objects.exists()
    body = client.post(
        reverse("brands:add_pairing", args=[provincial.pk]), {"pairing_q": "无此支部", "find": "1"}
    ).content.decode()
    assert options(body) == 0 and "没有找到包含“无此支部”的选项" in body


def test_a_partner_not_listed_is_accepted_an_invalid_one_refused_at_the_field(
    client, org, page, provincial, monkeypatch
):
    monkeypatch.setattr(lifecycle, "PARTNERS_SHOWN", 1)
    (other,) = branches(org, 1)
    body = client.get(page).content.decode()
    assert options(body) == 1 and other.name not in body and 'data-testid="shortlist-more"' in body
    url = reverse("brands:add_pairing", args=[provincial.pk])
    # a branch of another city: refused at the field, in Chinese, nothing typed lost
    data = {"partner": org.b1.pk, "started_on": YESTERDAY.isoformat(), "note": "共建"}
    body = client.post(url, data).content.decode()
    assert "只能选择本市（直属）党委范围内的党支部结对" in partner_errors(body)
    assert f'<option value="{org.b1.pk}" selected>' in form_of(body) and "共建</textarea>" in body
    assert options(body) == 2  # the shortlist and the chosen branch, not every candidate
    body = client.post(url, {**data, "partner": org.a1.pk}).content.decode()  # has a brand
    assert "已有在建或已建成的品牌" in partner_errors(body)
    body = client.post(url, {**data, "partner": 999999}).content.decode()
    assert "结对对象必须是有效的党支部" in partner_errors(body)
    assert not Pairing.objects.exists()
    response = client.post(url, {**data, "partner": other.pk})
    assert response.status_code == 302 and Pairing.objects.get().partner == other
