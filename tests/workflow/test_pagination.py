"""The bounded paginator: capped counts, a known count, and pages read by their ids first."""

import pytest

from branches.models import OrgUnit
from common.pagination import BoundedPaginator
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(org):
    for i in range(12):
        OrgUnitFactory(parent=org.city_b, code=f"PG{i:02d}", name=f"分页支部{i:02d}")
    return OrgUnit.objects.select_related("region").order_by("-code")


def test_late_rows_give_the_same_pages_in_the_same_order(units):
    plain = BoundedPaginator(units, 5)
    late = BoundedPaginator(units, 5, late_rows=True)
    assert late.num_pages == plain.num_pages == 4
    for number in plain.page_range:
        assert [u.code for u in late.page(number)] == [u.code for u in plain.page(number)]


def test_late_rows_keep_select_related(units, django_assert_num_queries):
    late = BoundedPaginator(units, 5, count=units.count(), late_rows=True)
    with django_assert_num_queries(2):  # the page's ids, then its rows with their regions
        rows = list(late.page(2))
        [u.region for u in rows]  # noqa: B018 -- no query per row
    assert len(rows) == 5


def test_the_count_is_capped_and_a_known_count_is_trusted(units):
    total = units.count()
    capped = BoundedPaginator(units, 5, max_rows=10)
    assert capped.count == 10 and capped.capped and capped.num_pages == 2
    known = BoundedPaginator(units, 5, count=total)
    assert known.count == total and not known.capped
    # beyond the cap a known count is capped too: nobody pages that deep
    assert BoundedPaginator(units, 5, count=total, max_rows=10).capped
