"""A criterion worth more than the table can hold (99999.99 points) is refused with a clear
Chinese message, through the service and through the page — never an exception."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from flagship.models import ReviewCriterion
from flagship.services import criteria

from .conftest import new_cycle
from .test_criteria import form_data, page_rows, rows_of

pytestmark = pytest.mark.smoke

TOO_MANY = "“六好党支部考评结果”的分值不能超过 99999.99 分。"


@pytest.fixture(autouse=True)
def _frozen():
    moment = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def stored(cycle):
    return list(ReviewCriterion.objects.filter(cycle=cycle).values_list("max_points", flat=True))


@pytest.mark.parametrize("value", [100000, "100000", Decimal("100000.00")])
def test_the_service_refuses_100000_points_with_a_message(org, value):
    cycle = new_cycle(org)
    before = stored(cycle)
    rows = rows_of(cycle, six_good={"max_points": value})
    with pytest.raises(ValidationError) as refused:
        criteria.save_criteria(actor=org.users["province_reviewer"], cycle_pk=cycle.pk, rows=rows)
    assert refused.value.messages == [TOO_MANY]
    assert stored(cycle) == before


def test_the_largest_value_is_accepted(org):
    cycle = new_cycle(org)
    rows = rows_of(cycle, six_good={"max_points": Decimal("99999.99")})
    criteria.save_criteria(actor=org.users["province_reviewer"], cycle_pk=cycle.pk, rows=rows)
    assert Decimal("99999.99") in stored(cycle)


def test_the_page_answers_100000_points_with_an_error_and_keeps_the_rows(client, org):
    cycle = new_cycle(org)
    before = stored(cycle)
    client.force_login(org.users["province_reviewer"])
    rows = page_rows(cycle, six_good={"max_points": "100000"})
    response = client.post(reverse("flagship:criteria", args=[cycle.pk]), form_data(rows))
    page = response.content.decode()
    assert response.status_code == 200 and stored(cycle) == before
    assert "评分表未保存，请按提示修改后重新提交。" in page and 'value="100000"' in page
    assert 'id="error_1_id_criteria-0-max_points"' in page  # the row's own field error
