"""The coverage dashboard (创建覆盖率 / 建成率) and its drill-down.

Who sees it: anyone holding a role, each for their own subtree — reviewers and the province
their committees, the flagship committee (a province role) the province, a secretary only their
own branch (a single branch's figures: no ranking of other branches is shown to branches).
A member without a role gets 403.

The tree for the rates is `Org` plus a few branches (hand-computed below):

    city A: A1 built · A2 in review · A3 draft · A4 built but inactive (not counted)
    city B: B1 rejected + implementing · B2 rejected only · B3 none
    direct committee D: D1 built
"""

import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches.models import BranchCategory, UnitType
from brands.models import BrandApplication, CoverageTarget, Status
from brands.selectors import coverage as selectors
from tests.clock import local
from tests.factories import OrgUnitFactory
from tests.permissions import LOGIN, assert_permission_matrix

pytestmark = pytest.mark.smoke

C = BranchCategory


def brand(org, unit, status):
    return BrandApplication.objects.create(
        unit=unit, applicant=org.users["secretary"], status=status, name=f"{unit.name}品牌"
    )


@pytest.fixture
def target(db):
    """This year's target, whatever year the suite runs in: 70% filed, 30% built."""
    t, _ = CoverageTarget.objects.update_or_create(
        year=timezone.localdate().year,
        defaults={"filed_rate": Decimal("70"), "built_rate": Decimal("30")},
    )
    return t


@pytest.fixture
def tree(org, target):
    a3 = OrgUnitFactory(parent=org.city_a, name="甲市综合党支部", code="A3", category=C.MANAGEMENT)
    a4 = OrgUnitFactory(
        parent=org.general_a, name="甲市撤销党支部", code="A4", category=C.MARKET, is_active=False
    )
    b2 = OrgUnitFactory(parent=org.city_b, name="乙市营业党支部", code="B2", category=C.MARKET)
    b3 = OrgUnitFactory(parent=org.city_b, name="乙市后勤党支部", code="B3", category=C.AUXILIARY)
    direct = OrgUnitFactory(
        parent=org.province, unit_type=UnitType.DIRECT, name="省直属机关党委", code="D"
    )
    d1 = OrgUnitFactory(parent=direct, name="直属机关党支部", code="D1", category=C.PRODUCTION)
    brand(org, org.a1, Status.BUILT)
    brand(org, org.a2, Status.IN_REVIEW)
    brand(org, a3, Status.DRAFT)
    brand(org, a4, Status.BUILT)
    brand(org, org.b1, Status.REJECTED)
    brand(org, org.b1, Status.IMPLEMENTING)
    brand(org, b2, Status.REJECTED)
    brand(org, d1, Status.BUILT)
    return {"A3": a3, "A4": a4, "B2": b2, "B3": b3, "D": direct, "D1": d1}


def figures(rows):
    return [(r.label, r.total, r.filed, r.built, r.filed_rate, r.built_rate) for r in rows]


def committee_of(org, unit):
    return org.city_a if unit.path.startswith(org.city_a.path) else org.city_b


# --- permissions -------------------------------------------------------------------------------

ANY_ROLE = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 200,
    "general_branch_reviewer": 200,
    "city_reviewer": 200,
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}


def test_coverage_matrix_any_role(client, org, tree):
    assert_permission_matrix(client, org, lambda unit: reverse("brands:coverage"), ANY_ROLE)


def test_missing_matrix_any_role_scoped_by_content(client, org, tree):
    """Asking for the other city's list is allowed (200) but it lists nothing outside scope."""
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:coverage_missing") + f"?city={committee_of(org, unit).pk}",
        ANY_ROLE,
    )


def test_index_links_coverage_only_for_role_holders(client, org):
    client.force_login(org.users["member"])
    body = client.get(reverse("brands:index")).content.decode()
    assert reverse("brands:showcase") in body and reverse("brands:coverage") not in body
    client.force_login(org.users["city_reviewer"])
    assert reverse("brands:coverage") in client.get(reverse("brands:index")).content.decode()


# --- the rates --------------------------------------------------------------------------------


def test_rates_per_committee_category_and_province_against_hand_computed(org, tree):
    cov = selectors.coverage(org.users["province_reviewer"])
    d = Decimal
    assert figures(cov.by_committee) == [
        ("甲市分公司党委", 3, 2, 1, d("66.7"), d("33.3")),
        ("乙市分公司党委", 3, 1, 0, d("33.3"), d("0")),
        ("省直属机关党委", 1, 1, 1, d("100.0"), d("100.0")),
    ]
    # in the order of the "5521" model; categories without branches are left out
    assert figures(cov.by_category) == [
        ("生产类", 3, 3, 2, d("100.0"), d("66.7")),
        ("辅助类", 1, 0, 0, d("0"), d("0")),
        ("综合管理类", 1, 0, 0, d("0"), d("0")),
        ("市场经营类", 2, 1, 0, d("50.0"), d("0")),
    ]
    assert figures([cov.totals]) == [("全省合计", 7, 4, 2, d("57.1"), d("28.6"))]
    # against 70% / 30%: city A misses the filed target only, city B both, D neither
    below = [(r.label, r.filed_below, r.built_below) for r in cov.by_committee]
    assert below == [
        ("甲市分公司党委", True, False),
        ("乙市分公司党委", True, True),
        ("省直属机关党委", False, False),
    ]
    assert cov.totals.filed_below and cov.totals.built_below
    assert cov.target.year == timezone.localdate().year and cov.target_is_own_year


def test_each_breakdown_is_one_aggregate_query(org, tree, django_assert_num_queries):
    user = org.users["province_reviewer"]
    user.role_assignments  # noqa: B018 -- load the roles first; they are cached per request
    with django_assert_num_queries(2):  # grouped counts, then the committees' names
        selectors.coverage_by_committee(user)
    with django_assert_num_queries(1):
        selectors.coverage_by_category(user)
    with django_assert_num_queries(1):
        selectors.coverage_totals(user)


def test_city_reviewer_sees_only_city_a_figures(client, org, tree):
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("brands:coverage")).content.decode()
    assert "甲市分公司党委" in body
    assert "乙市" not in body and "省直属" not in body  # no row, label or chart entry of theirs
    assert re.search(r'data-testid="total-branches">3<', body)
    assert "66.7%" in body and "33.3%" in body and "管辖范围合计" in body
    cov = selectors.coverage(org.users["city_reviewer"])
    assert [r.label for r in cov.by_committee] == ["甲市分公司党委"]
    assert (cov.totals.total, cov.totals.filed, cov.totals.built) == (3, 2, 1)


def test_city_b_reviewer_never_sees_city_a(client, org, tree):
    client.force_login(org.rev_b)
    body = client.get(reverse("brands:coverage")).content.decode()
    assert "甲市" not in body and re.search(r'data-testid="total-branches">3<', body)


def test_secretary_sees_only_their_own_branch(client, org, tree):
    cov = selectors.coverage(org.users["secretary"])
    assert (cov.totals.total, cov.totals.filed, cov.totals.built) == (1, 1, 1)
    client.force_login(org.users["secretary"])
    body = client.get(reverse("brands:coverage")).content.decode()
    assert "乙市" not in body and "100.0%" in body
    assert 'id="coverage-chart"' not in body  # one committee row: no chart to compare


def test_rows_below_target_are_highlighted(client, org, tree):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("brands:coverage")).content.decode()
    table = body.split('data-testid="coverage-city"')[1].split("</table>")[0]
    rows = re.findall(r"<tr([^>]*)>\s*<td>([^<]+)</td>", table)
    assert [(name, "table-warning" in attrs) for attrs, name in rows] == [
        ("甲市分公司党委", True),
        ("乙市分公司党委", True),
        ("省直属机关党委", False),
    ]


def test_chart_data_goes_through_json_script_and_no_inline_script(client, org, tree):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("brands:coverage")).content.decode()
    data = json.loads(
        re.search(r'<script id="coverage-data" type="application/json">(.*?)</script>', body)[1]
    )
    assert data["labels"] == ["甲市分公司党委", "乙市分公司党委", "省直属机关党委"]
    assert data["filed"] == [66.7, 33.3, 100.0] and data["built"] == [33.3, 0.0, 100.0]
    assert (data["target_filed"], data["target_built"]) == (70.0, 30.0)
    assert "vendor/chart.js/chart.umd.min.js" in body and "js/coverage-chart.js" in body
    scripts = re.findall(r"<script([^>]*)>", body)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts)


def test_target_falls_back_when_the_year_has_none(db):
    CoverageTarget.objects.all().delete()
    assert selectors.target_for(2026) == (None, False)
    for year, filed, built in [(2026, 70, 30), (2027, 100, 80), (2028, 100, 100)]:
        CoverageTarget.objects.create(year=year, filed_rate=filed, built_rate=built)
    assert selectors.target_for(2027)[0].year == 2027 and selectors.target_for(2027)[1]
    assert selectors.target_for(2031) == (CoverageTarget.objects.get(year=2028), False)
    assert selectors.target_for(2025) == (CoverageTarget.objects.get(year=2026), False)


def test_page_says_when_the_target_is_borrowed(client, org, tree):
    # In 2031, past the shipped three-year plan (2026–2028), with no target of its own, the
    # page measures against the latest earlier year's target and says so.
    CoverageTarget.objects.filter(year__gte=2029).delete()
    CoverageTarget.objects.update_or_create(
        year=2028, defaults={"filed_rate": Decimal("100"), "built_rate": Decimal("90")}
    )
    with time_machine.travel(local(2031, 5, 10, 10), tick=False):
        client.force_login(org.users["admin"])
        body = client.get(reverse("brands:coverage")).content.decode()
    assert "2028年目标：创建覆盖率 100%，建成率 90%" in body
    assert "2031年未设定目标，沿用此目标" in body


# --- the drill-down ---------------------------------------------------------------------------


def listed(client, user, **params):
    client.force_login(user)
    body = client.get(reverse("brands:coverage_missing"), params).content.decode()
    table = body.split('data-testid="missing"')[1].split("</table>")[0]
    return set(re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', table))


def test_missing_lists_exactly_the_branches_without_a_filed_brand(client, org, tree):
    province = org.users["province_reviewer"]
    # A3 has only a draft, B2 only a rejected one, B3 none; A4 is inactive; B1's live brand
    # counts although it also has a rejected one.
    assert listed(client, province) == {"甲市综合党支部", "乙市营业党支部", "乙市后勤党支部"}
    assert listed(client, province, city=org.city_a.pk) == {"甲市综合党支部"}
    assert listed(client, province, category=C.MARKET) == {"乙市营业党支部"}
    assert listed(client, province, city=org.city_b.pk, category=C.AUXILIARY) == {"乙市后勤党支部"}
    assert listed(client, org.users["city_reviewer"]) == {"甲市综合党支部"}
    assert listed(client, org.users["city_reviewer"], city=org.city_b.pk) == set()
    assert listed(client, org.users["secretary"]) == set()
    assert {u.code for u in selectors.branches_missing_brand(province)} == {"A3", "B2", "B3"}


def test_missing_shows_the_secretary_and_committee(client, org, tree):
    from tests.factories import UserFactory

    sec = UserFactory(username="sec_b3", full_name="郑书记", phone="13800000000")
    tree["B3"].secretary = sec
    tree["B3"].save()
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("brands:coverage_missing"), {"city": org.city_b.pk}).content
    body = body.decode()
    assert "郑书记" in body and "13800000000" in body and "乙市分公司党委" in body


def test_coverage_links_to_the_drill_down(client, org, tree):
    client.force_login(org.users["province_reviewer"])
    body = client.get(reverse("brands:coverage")).content.decode()
    missing = reverse("brands:coverage_missing")
    assert f"{missing}?city={org.city_a.pk}" in body
    assert f"{missing}?category={C.MARKET}" in body


# --- query counts -----------------------------------------------------------------------------


def _grow(org, n, offset):
    statuses = [Status.BUILT, Status.IN_REVIEW, Status.DRAFT, Status.REJECTED, None]
    for i in range(n):
        parent = [org.city_a, org.city_b, org.general_a][i % 3]
        unit = OrgUnitFactory(
            parent=parent, code=f"G{offset + i}", category=C.values[i % len(C.values)]
        )
        if statuses[i % 5] is not None:
            brand(org, unit, statuses[i % 5])


def test_query_counts_do_not_grow_with_branches_and_brands(
    client, org, tree, django_assert_max_num_queries
):
    client.force_login(org.users["province_reviewer"])
    urls = [
        reverse("brands:coverage"),
        reverse("brands:coverage_missing"),
        reverse("brands:coverage_missing") + f"?city={org.city_a.pk}&page=2",
    ]
    with django_assert_max_num_queries(40) as few:
        for url in urls:
            assert client.get(url).status_code == 200
    _grow(org, 90, offset=0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        for url in urls:
            assert client.get(url).status_code == 200
    # the figures did grow: 7 + 90 active branches
    assert selectors.coverage(org.users["province_reviewer"]).totals.total == 97
