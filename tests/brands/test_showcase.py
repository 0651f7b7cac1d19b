"""The brand showcase (品牌展示): wall, public brand page, "1+N" clusters.

The showcase is for every logged-in user, members included, and it is province-wide: a
secretary of city A sees city B's approved brands too. What it must never show is a brand that
is not approved (draft, in review, returned, rejected)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from branches.models import BranchCategory, UnitType
from brands.models import (
    BrandActivity,
    BrandApplication,
    BrandType,
    Level,
    MediaPublication,
    Status,
)
from brands.selectors.showcase import SHOWCASE_STATUSES, brand_clusters
from tests.factories import OrgUnitFactory
from tests.permissions import LOGIN, ROLES, assert_permission_matrix

pytestmark = pytest.mark.smoke

EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}


def make_brand(org, unit, status=Status.BUILT, **fields):
    fields.setdefault("name", f"{unit.name}品牌")
    return BrandApplication.objects.create(
        unit=unit,
        applicant=org.users["secretary"],
        status=status,
        slogan=fields.pop("slogan", "党建引领，服务发展"),
        core_idea=fields.pop("core_idea", "把支部建在一线"),
        measures=fields.pop("measures", ["设立党员先锋岗", "开展技术攻关", "结对帮扶"]),
        results=fields.pop("results", "网络质量排名全省第一"),
        **fields,
    )


@pytest.fixture
def shown(org):
    """A built brand in city A, one in implementation in city B, and one in review in city A
    that must stay hidden."""
    return {
        "A1": make_brand(org, org.a1, Status.BUILT, name="红色引擎", brand_type="development"),
        "B1": make_brand(org, org.b1, Status.IMPLEMENTING, name="乙市先锋", brand_type="public"),
        "A2": make_brand(org, org.a2, Status.IN_REVIEW, name="审核中的品牌"),
    }


def by_unit(brands, route):
    return lambda unit: reverse(route, args=[brands[unit.code].pk])


def names_in(body, *names):
    """The positions of names in a page, to check the order of cards."""
    return [body.index(n) for n in names]


# --- permissions -------------------------------------------------------------------------------


def test_wall_matrix_every_logged_in_user(client, org, shown):
    assert_permission_matrix(client, org, lambda unit: reverse("brands:showcase"), EVERYONE)


def test_showcase_detail_matrix_every_logged_in_user_both_cities(client, org, shown):
    assert_permission_matrix(client, org, by_unit(shown, "brands:showcase_detail"), EVERYONE)


def test_clusters_matrix_every_logged_in_user(client, org, shown):
    assert_permission_matrix(client, org, lambda unit: reverse("brands:clusters"), EVERYONE)


@pytest.mark.parametrize(
    "status", [s for s in Status.values if s not in SHOWCASE_STATUSES], ids=str
)
def test_unapproved_brands_are_404_on_the_showcase_even_for_the_province(client, org, status):
    app = make_brand(org, org.a1, status)
    for role in ("member", "secretary", "province_reviewer", "admin"):
        client.force_login(org.users[role])
        assert client.get(reverse("brands:showcase_detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("brands:showcase_detail", args=[999999])).status_code == 404


def test_nav_shows_the_showcase_to_a_member(client, org):
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase")).content.decode()
    assert f'href="{reverse("brands:showcase")}"' in body and "品牌展示" in body


# --- the wall ---------------------------------------------------------------------------------


def test_wall_shows_approved_brands_of_every_city_to_a_member(client, org, shown):
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase")).content.decode()
    assert "红色引擎" in body and "乙市先锋" in body
    assert "审核中的品牌" not in body
    # the card's elements: slogan, core idea, highlights, unit, link to the public page
    assert "党建引领，服务发展" in body and "把支部建在一线" in body
    assert "设立党员先锋岗" in body and "开展技术攻关" in body and "结对帮扶" not in body
    assert "网络质量排名全省第一" in body and "甲市网络运维党支部" in body
    assert reverse("brands:showcase_detail", args=[shown["A1"].pk]) in body


def test_wall_card_has_logo_thumbnail_and_provincial_badge(client, org):
    app = make_brand(
        org,
        org.a1,
        level=Level.PROVINCIAL,
        logo="brands/logos/x.png",
        logo_thumb="brands/logos/thumbs/x.png",
    )
    make_brand(org, org.b1, Status.ACCEPTANCE, name="没有标识")
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase")).content.decode()
    assert reverse("brands:logo_thumb", args=[app.pk]) in body
    assert body.count('data-testid="provincial"') == 1 and "省公司级品牌" in body
    assert body.count('data-testid="brand-card"') == 2


def test_wall_order_provincial_then_built_then_name(client, org):
    extra = [OrgUnitFactory(parent=org.city_a, category="market") for _ in range(3)]
    make_brand(org, extra[0], Status.IMPLEMENTING, name="Brand-A")
    make_brand(org, extra[1], Status.BUILT, name="Brand-C")
    make_brand(org, extra[2], Status.BUILT, name="Brand-B")
    make_brand(org, org.b1, Status.BUILT, name="Brand-Z", level=Level.PROVINCIAL)
    make_brand(org, org.a1, Status.ACCEPTANCE, name="Brand-0")
    client.force_login(org.users["secretary"])
    body = client.get(reverse("brands:showcase")).content.decode()
    positions = names_in(body, "Brand-Z", "Brand-B", "Brand-C", "Brand-0", "Brand-A")
    assert positions == sorted(positions)


def test_wall_filters(client, org, shown):
    direct = OrgUnitFactory(parent=org.province, unit_type=UnitType.DIRECT, name="直属党委")
    d1 = OrgUnitFactory(parent=direct, name="直属网络党支部", category=BranchCategory.MARKET)
    make_brand(org, d1, Status.BUILT, name="直属品牌", brand_type="members", level="provincial")
    client.force_login(org.users["member"])

    def shown_names(**params):
        body = client.get(reverse("brands:showcase"), params).content.decode()
        return {n for n in ("红色引擎", "乙市先锋", "直属品牌", "审核中的品牌") if n in body}

    assert shown_names() == {"红色引擎", "乙市先锋", "直属品牌"}
    assert shown_names(city=org.city_b.pk) == {"乙市先锋"}
    assert shown_names(city=direct.pk) == {"直属品牌"}
    assert shown_names(category="production") == {"红色引擎", "乙市先锋"}
    assert shown_names(brand_type=BrandType.PUBLIC) == {"乙市先锋"}
    assert shown_names(level=Level.PROVINCIAL) == {"直属品牌"}
    assert shown_names(q="引擎") == {"红色引擎"}  # by brand name
    assert shown_names(q="乙市网络") == {"乙市先锋"}  # by branch name
    assert shown_names(q="审核中") == set()  # never an unapproved one


def test_wall_pages_by_24_and_keeps_the_filters(client, org):
    for i in range(30):
        unit = OrgUnitFactory(parent=org.city_a, category="market", name=f"市场{i}党支部")
        make_brand(org, unit, name=f"Brand-{i:02d}")
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase"), {"category": "market"}).content.decode()
    assert body.count('data-testid="brand-card"') == 24
    assert "?category=market&amp;page=2" in body
    body = client.get(reverse("brands:showcase"), {"category": "market", "page": 2}).content
    assert body.decode().count('data-testid="brand-card"') == 6


# --- the public brand page --------------------------------------------------------------------


def test_showcase_detail_shows_six_elements_activities_and_publications(client, org, shown):
    app = shown["B1"]
    app.goal = "三年内故障处理时长下降30%"
    app.save()
    BrandActivity.objects.create(
        application=app,
        date=datetime.date(2026, 5, 1),
        title="党员先锋岗挂牌",
        text="在网络一线设立先锋岗。",
        created_by=org.sec_b1,
    )
    MediaPublication.objects.create(
        application=app,
        outlet="人民邮电报",
        media_level="national",
        title="乙市先锋的故事",
        published_on=datetime.date(2026, 6, 1),
        created_by=org.sec_b1,
    )
    client.force_login(org.users["member"])  # a member of no unit, looking at city B
    body = client.get(reverse("brands:showcase_detail", args=[app.pk])).content.decode()
    for text in ("乙市先锋", "党建引领，服务发展", "三年内故障处理时长下降30%", "结对帮扶"):
        assert text in body
    assert "党员先锋岗挂牌" in body and "人民邮电报" in body and "乙市先锋的故事" in body
    assert "乙市分公司党委" in body  # its committee
    # a member may not open the application itself, so no link to it
    assert reverse("brands:detail", args=[app.pk]) not in body
    client.force_login(org.sec_b1)
    body = client.get(reverse("brands:showcase_detail", args=[app.pk])).content.decode()
    assert reverse("brands:detail", args=[app.pk]) in body


def test_showcase_detail_without_activities_says_so(client, org, shown):
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase_detail", args=[shown["A1"].pk])).content.decode()
    assert "暂无品牌活动" in body and "暂无媒体报道" in body


# --- "1+N" clusters ---------------------------------------------------------------------------


def test_clusters_committee_brand_is_the_one_and_branches_the_n(client, org, shown):
    lead = make_brand(org, org.city_a, Status.BUILT, name="甲市红色矩阵")
    a3 = OrgUnitFactory(parent=org.general_a, name="甲市传输党支部", category="production")
    make_brand(org, a3, Status.ACCEPTANCE, name="传输尖兵")
    clusters, without = brand_clusters()
    assert [c.committee for c in clusters] == [org.city_a, org.city_b]
    city_a, city_b = clusters
    assert city_a.lead == lead and {b.name for b in city_a.members} == {"红色引擎", "传输尖兵"}
    assert city_a.member_count == 2 and city_a.more == 0
    assert city_b.lead is None and [b.name for b in city_b.members] == ["乙市先锋"]
    assert without == 0

    client.force_login(org.users["member"])
    body = client.get(reverse("brands:clusters")).content.decode()
    assert body.count('data-testid="cluster"') == 2
    assert body.count('data-testid="cluster-lead"') == 1 and "甲市红色矩阵" in body
    assert "1 + 2" in body  # city A: its own brand plus two branch brands
    assert "审核中的品牌" not in body


def test_clusters_list_the_first_n_and_link_to_the_rest(org):
    for i in range(5):
        make_brand(org, OrgUnitFactory(parent=org.city_b, category="market"), name=f"B-{i}")
    empty = OrgUnitFactory(parent=org.province, unit_type=UnitType.DIRECT, name="无品牌党委")
    assert empty
    clusters, without = brand_clusters(size=3)
    (city_b,) = clusters
    assert [b.name for b in city_b.members] == ["B-0", "B-1", "B-2"]
    assert city_b.member_count == 5 and city_b.more == 2
    assert without == 2  # city A (nothing approved) and the empty committee


# --- query counts -----------------------------------------------------------------------------


def _grow(org, n, offset=0):
    """n more branches with approved brands, spread over both cities and a general branch."""
    parents = [org.city_a, org.city_b, org.general_a]
    statuses = list(SHOWCASE_STATUSES)
    for i in range(n):
        unit = OrgUnitFactory(parent=parents[i % 3], category="market")
        make_brand(
            org,
            unit,
            statuses[i % 3],
            name=f"Grow-{offset + i}",
            level=Level.PROVINCIAL if i % 5 == 0 else Level.BRANCH,
            logo_thumb="brands/logos/thumbs/x.png",
        )
        if i % 4 == 0:
            BrandActivity.objects.create(
                application=BrandApplication.objects.get(name=f"Grow-{offset + i}"),
                date=datetime.date(2026, 1, 1),
                title="活动",
                text="内容",
                created_by=org.sec_b1,
            )


def test_showcase_query_counts_do_not_grow_with_brands(
    client, org, shown, django_assert_max_num_queries
):
    client.force_login(org.users["member"])
    urls = [
        reverse("brands:showcase"),
        reverse("brands:showcase") + "?category=market&page=2",
        reverse("brands:clusters"),
        reverse("brands:showcase_detail", args=[shown["A1"].pk]),
    ]
    _grow(org, 3)
    with django_assert_max_num_queries(40) as few:
        for url in urls:
            assert client.get(url).status_code == 200
    _grow(org, 60, offset=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        for url in urls:
            assert client.get(url).status_code == 200


def test_clusters_are_two_queries_and_fetch_at_most_n_per_committee(org, django_assert_num_queries):
    _grow(org, 40)  # city A gets 27 (directly and via its general branch), city B 13
    with django_assert_num_queries(3):  # the committees, the counts (then cached), the brands
        brand_clusters(size=12)
    with django_assert_num_queries(2) as queries:  # the committees, the brands
        clusters, _ = brand_clusters(size=12)
    city_a, city_b = clusters
    assert (len(city_a.members), city_a.more) == (12, 15)
    assert (len(city_b.members), city_b.more) == (12, 1)
    sql = queries.captured_queries[1]["sql"].upper()
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL
        # One part per committee, each limited to the first 12 (plus the committees' own).
        assert sql.count("UNION ALL") == 2 and sql.count("LIMIT 12") == 2
    else:
        assert "ROW_NUMBER()" in sql
