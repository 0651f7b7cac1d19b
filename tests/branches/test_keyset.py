"""The org list pages by key (the path of the row it continues from), not by skipping rows:
walking forwards and backwards shows every unit once in tree order, whatever is added
meanwhile, with the same queries on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches import selectors
from branches.views import PAGE_SIZE
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(org):
    for i in range(2 * PAGE_SIZE + 17):
        OrgUnitFactory(parent=org.city_b, name=f"乙市第{i}党支部", code=f"KS{i:03d}")
    return org


def visit(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("branches:unit_list"), params)
    assert response.status_code == 200
    page = response.context["page"]
    return page, [u.pk for u in page], queries.captured_queries


def test_walking_forwards_and_back_shows_every_unit_once_in_tree_order(client, many):
    admin = many.users["admin"]
    client.force_login(admin)
    expected = list(selectors.search_units(admin).values_list("pk", flat=True))
    page, seen, _q = visit(client, {})
    pages = [seen]
    while page.has_next():
        params = {"page": page.next_page_number(), "after": page.after_key}
        page, ids, queries = visit(client, params)
        assert page.number == len(pages) + 1
        assert not any("OFFSET" in q["sql"].upper() for q in queries)
        pages.append(ids)
    assert [pk for ids in pages for pk in ids] == expected
    assert page.number == page.paginator.num_pages == len(pages)
    back = []
    while page.has_previous():
        params = {"page": page.previous_page_number(), "before": page.before_key}
        page, ids, queries = visit(client, params)
        assert not any("OFFSET" in q["sql"].upper() for q in queries)
        back.insert(0, ids)
    assert back == pages[:-1] and page.number == 1


def test_the_last_page_is_read_from_the_end(client, many):
    admin = many.users["admin"]
    client.force_login(admin)
    expected = list(selectors.search_units(admin).values_list("pk", flat=True))
    last = (len(expected) + PAGE_SIZE - 1) // PAGE_SIZE
    page, ids, queries = visit(client, {"page": last})
    assert ids == expected[(last - 1) * PAGE_SIZE :] and not page.has_next()
    assert not any("OFFSET" in q["sql"].upper() for q in queries)
    # a page number typed by hand still works (skipping index entries)
    page, ids, _q = visit(client, {"page": 2})
    assert ids == expected[PAGE_SIZE : 2 * PAGE_SIZE]


def test_a_unit_added_meanwhile_neither_repeats_nor_hides_a_row(client, many):
    admin = many.users["admin"]
    client.force_login(admin)
    page, first, _q = visit(client, {})
    OrgUnitFactory(parent=many.city_a, name="新建党支部", code="NEW001")  # sorts before
    _page, second, _q = visit(client, {"page": 2, "after": page.after_key})
    assert not set(first) & set(second)
    expected = list(selectors.search_units(admin).values_list("pk", flat=True))
    assert second == expected[expected.index(first[-1]) + 1 :][:PAGE_SIZE]


def test_the_links_carry_the_key_and_the_filters(client, many):
    client.force_login(many.users["admin"])
    response = client.get(reverse("branches:unit_list"), {"q": "乙市第"})
    page = response.context["page"]
    body = response.content.decode()
    assert f"q=%E4%B9%99%E5%B8%82%E7%AC%AC&amp;page=2&amp;after={page.after_key}" in body
    follow = client.get(
        reverse("branches:unit_list"), {"q": "乙市第", "page": 2, "after": page.after_key}
    )
    assert all("乙市第" in u.name for u in follow.context["page"])


def test_keyed_pages_need_the_same_queries_as_the_first(client, many):
    client.force_login(many.users["admin"])
    visit(client, {})  # the subtree size is counted once, then cached
    page, _ids, first = visit(client, {})
    _page, _ids, keyed = visit(client, {"page": 2, "after": page.after_key})
    for i in range(60):
        OrgUnitFactory(parent=many.city_b, code=f"KT{i:03d}")
    visit(client, {})  # the tree changed: the subtree size is counted again, once
    _page, _ids, more = visit(client, {"page": 2, "after": page.after_key})
    assert len(keyed) == len(more) <= len(first)  # first: also the unread-notification badge


@pytest.mark.parametrize("params", [{"after": ""}, {"after": "Z" * 400}, {"before": "!!"}])
def test_odd_keys_do_not_break_the_list(client, many, params):
    client.force_login(many.users["admin"])
    response = client.get(reverse("branches:unit_list"), {"page": "3", **params})
    assert response.status_code == 200
