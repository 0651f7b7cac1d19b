import pytest
from django.urls import reverse

from tests.permissions import LOGIN, ROLES, assert_permission_matrix

pytestmark = pytest.mark.smoke

OWN_AND_OTHER = (200, 403)
ALL = (200, 200)


def test_org_list_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("branches:unit_list") + f"?q={unit.code}",
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": 200,
            "general_branch_reviewer": 200,
            "city_reviewer": 200,
            "province_reviewer": 200,
            "committee_member": 200,
            "admin": 200,
        },
    )


def test_unit_detail_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("branches:unit_detail", args=[unit.pk]),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": OWN_AND_OTHER,
            "general_branch_reviewer": OWN_AND_OTHER,
            "city_reviewer": OWN_AND_OTHER,
            "province_reviewer": ALL,
            "committee_member": ALL,
            "admin": ALL,
        },
    )


def test_dashboard_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("dashboard"),
        dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    )


def test_org_list_never_shows_a_sibling_subtree(client, org):
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("branches:unit_list")).content.decode()
    assert "甲市网络运维党支部" in body
    assert "乙市网络运维党支部" not in body


def test_org_list_search_and_filters(client, org):
    client.force_login(org.users["admin"])
    url = reverse("branches:unit_list")
    body = client.get(url, {"q": "市场"}).content.decode()
    assert "甲市市场部党支部" in body and "甲市网络运维党支部" not in body
    body = client.get(url, {"unit_type": "city"}).content.decode()
    assert "乙市分公司党委" in body and "甲市市场部党支部" not in body
    body = client.get(url, {"q": "不存在的组织"}).content.decode()
    assert "没有符合条件的党组织" in body


def test_bad_filter_values_do_not_break_the_list(client, org):
    client.force_login(org.users["admin"])
    response = client.get(reverse("branches:unit_list"), {"region": "abc", "page": "x"})
    assert response.status_code == 200


def test_org_list_pagination_keeps_the_filters(client, org, settings):
    from tests.factories import OrgUnitFactory

    for i in range(55):
        OrgUnitFactory(parent=org.city_b, name=f"乙市第{i}党支部", code=f"BX{i:03d}")
    client.force_login(org.users["admin"])
    page1 = client.get(reverse("branches:unit_list"), {"q": "乙市第"})
    assert page1.context["page"].paginator.count == 55
    assert "q=%E4%B9%99%E5%B8%82%E7%AC%AC&amp;page=2" in page1.content.decode()


def test_org_list_query_count_does_not_grow_with_data(client, org, django_assert_max_num_queries):
    from tests.factories import OrgUnitFactory

    client.force_login(org.users["admin"])
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("branches:unit_list"))
    for i in range(60):
        OrgUnitFactory(parent=org.city_b, code=f"BY{i:03d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("branches:unit_list"))


def test_unit_detail_query_count_is_bounded(client, org, django_assert_max_num_queries):
    client.force_login(org.users["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("branches:unit_detail", args=[org.a1.pk]))
    body = response.content.decode()
    assert "张书记" in body  # members and roles at the unit
    assert "甲市网络部党总支 → 甲市分公司党委 → 省公司党委" in body  # approval chain


def test_unknown_unit_is_a_404_in_the_site_layout(client, org):
    client.force_login(org.users["admin"])
    response = client.get("/org/999999/")
    assert response.status_code == 404


def test_dashboard_is_chinese_and_shows_roles(client, org):
    client.force_login(org.users["secretary"])
    body = client.get("/").content.decode()
    assert "工作台" in body and "支部书记/党务工作者" in body and "甲市网络运维党支部" in body
    assert 'lang="zh-hans"' in body


def test_navigation_is_role_aware(client, org):
    client.force_login(org.users["member"])
    body = client.get("/").content.decode()
    assert "组织机构" not in body and "系统管理" not in body
    client.force_login(org.users["admin"])
    body = client.get("/").content.decode()
    assert "组织机构" in body and "系统管理" in body


def test_dashboard_counts_are_cached_until_the_tree_changes(client, org, django_assert_num_queries):
    from branches import selectors
    from tests.factories import OrgUnitFactory

    user = org.users["admin"]
    before = selectors.counts_by_type(user)["branch"]
    with django_assert_num_queries(0):
        selectors.counts_by_type(user)  # served from the cache
    OrgUnitFactory(parent=org.city_b, code="NEW1")  # saving a unit invalidates it
    assert selectors.counts_by_type(user)["branch"] == before + 1


def test_deep_lists_are_capped_instead_of_counted(client, org, monkeypatch):
    from common import pagination
    from tests.factories import OrgUnitFactory

    monkeypatch.setattr(pagination, "MAX_ROWS", 10)
    monkeypatch.setattr(
        pagination.BoundedPaginator.__init__, "__kwdefaults__", {"count": None, "max_rows": 10}
    )
    for i in range(15):
        OrgUnitFactory(parent=org.city_b, name=f"乙市第{i}党支部", code=f"CAP{i}")
    client.force_login(org.users["admin"])
    body = client.get(reverse("branches:unit_list"), {"unit_type": "branch"}).content.decode()
    assert "超过 10 条，请用查询条件缩小范围" in body


def test_the_current_section_is_highlighted_once(client, org):
    client.force_login(org.users["admin"])
    body = client.get("/brands/showcase/").content.decode()
    nav = body[body.index('id="mainnav"') :].split("</ul>")[0]
    assert nav.count('aria-current="page"') == 1
    assert 'active" href="/brands/showcase/"' in nav


def test_a_name_search_counts_at_most_the_search_cap(client, org, monkeypatch):
    from common import pagination
    from tests.factories import OrgUnitFactory

    monkeypatch.setattr(pagination, "SEARCH_MAX_ROWS", 5)
    monkeypatch.setattr("branches.views.SEARCH_MAX_ROWS", 5)
    for i in range(8):
        OrgUnitFactory(parent=org.city_b, name=f"乙市搜索{i}党支部", code=f"SRCH{i}")
    client.force_login(org.users["admin"])
    page = client.get(reverse("branches:unit_list"), {"q": "乙市搜索"}).context["page"]
    assert page.paginator.capped and page.paginator.count == 5
    page = client.get(reverse("branches:unit_list"), {"category": "production"}).context["page"]
    assert not page.paginator.capped  # other filters keep the full cap
