"""A committee's "1" brand and its 1+N cluster (issue #18, item 3; brands/clusters.py).

A city committee files its own brand through the same chain (its own reviewer decides nothing
on it); the brand of a committee or 党总支 gathers approved 党支部/党总支 brands of its own
subtree, each brand in at most one cluster; the cluster shows on the lead's page, on each
member's page and on the showcase. Coverage stays a rate over 党支部."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from branches.models import Role, UnitType
from brands import clusters, services
from brands.models import BrandApplication, ClusterMember, Status
from brands.selectors.applications import review_queue
from brands.selectors.coverage import coverage_totals
from brands.selectors.showcase import brand_clusters
from tests.factories import BrandApplicationFactory, OrgUnitFactory, UserFactory, grant
from workflow.models import AuditEntry
from workflow.transitions import TransitionError

from .conftest import CONTENT, png_upload


@pytest.fixture
def ladder(org):
    """Org plus the secretaries of both city committees and of general branch GA."""
    org.sec_city_a = grant(UserFactory(username="sec_city_a"), org.city_a, Role.SECRETARY)
    org.sec_city_b = grant(UserFactory(username="sec_city_b"), org.city_b, Role.SECRETARY)
    org.sec_ga = grant(UserFactory(username="sec_ga"), org.general_a, Role.SECRETARY)
    return org


def brand(org, unit, status=Status.BUILT, **fields):
    return BrandApplicationFactory(
        unit=unit, applicant=org.users["secretary"], status=status, **fields
    )


@pytest.fixture
def leads(ladder):
    """The approved "1" brands of both cities, and built brands of A1, A2, GA and B1."""
    org = ladder
    return {
        "A": brand(org, org.city_a, Status.IMPLEMENTING, name="甲市红色矩阵"),
        "B": brand(org, org.city_b, Status.BUILT, name="乙市先锋矩阵"),
        "A1": brand(org, org.a1, name="红色引擎"),
        "A2": brand(org, org.a2, Status.ACCEPTANCE, name="市场尖兵"),
        "GA": brand(org, org.general_a, name="网络先锋"),
        "B1": brand(org, org.b1, name="乙市先锋"),
    }


# --- the committee's "1" brand --------------------------------------------------------------


def test_committee_files_its_one_brand_reviewed_from_its_parent(ladder):
    org = ladder
    before = coverage_totals(org.users["province_reviewer"])
    app = services.save_application_draft(
        actor=org.sec_city_a,
        unit=org.city_a,
        data={**CONTENT, "name": "甲市红色矩阵"},
        logo=png_upload(),
    )
    app = services.submit_application(actor=org.sec_city_a, pk=app.pk)
    assert (app.status, app.current_level) == (Status.IN_REVIEW, org.province)
    # the committee's own reviewer is not on its chain: decides nothing, queues nothing
    assert not org.users["city_reviewer"].has_perm("brands.review_application", app)
    with pytest.raises(TransitionError):
        services.approve_application(actor=org.users["city_reviewer"], pk=app.pk)
    assert app not in review_queue(org.users["city_reviewer"])
    # nor its secretary, nor another city's
    with pytest.raises(TransitionError):
        services.approve_application(actor=org.sec_city_a, pk=app.pk)
    app = services.approve_application(actor=org.users["province_reviewer"], pk=app.pk)
    assert app.status == Status.IMPLEMENTING
    # coverage is a rate over 党支部: the committee's brand changes nothing in it
    after = coverage_totals(org.users["province_reviewer"])
    assert (after.total, after.filed, after.built) == (before.total, before.filed, before.built)


def test_another_committee_secretary_cannot_file_for_it(ladder):
    with pytest.raises(PermissionDenied):
        services.save_application_draft(actor=ladder.sec_city_b, unit=ladder.city_a, data=CONTENT)
    assert not BrandApplication.objects.exists()


def test_committee_brand_is_offered_on_the_index(client, ladder):
    client.force_login(ladder.sec_city_a)
    body = client.get(reverse("brands:index")).content.decode()
    assert reverse("brands:create", args=[ladder.city_a.pk]) in body


# --- gathering ---------------------------------------------------------------------------


def test_gather_and_release_are_audited_and_tell_the_member(ladder, leads):
    org = ladder
    member = clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    assert (member.lead, member.brand) == (leads["A"], leads["A1"])
    entry = AuditEntry.objects.get(action="gather_cluster")
    assert (entry.actor, entry.unit, entry.comment) == (org.sec_city_a, org.city_a, "红色引擎")
    assert org.users["secretary"].notifications.filter(title__contains="1+N").exists()
    cluster = clusters.cluster_of(leads["A1"])
    assert cluster.lead == leads["A"] and [m.brand for m in cluster.members] == [leads["A1"]]
    clusters.release_brand(actor=org.sec_city_a, member=member)
    assert not ClusterMember.objects.exists()
    assert AuditEntry.objects.filter(action="release_cluster", unit=org.city_a).exists()
    assert clusters.cluster_of(leads["A1"]) is None


def test_a_general_branch_gathers_its_own_branches(ladder, leads):
    clusters.gather_brand(actor=ladder.sec_ga, lead=leads["GA"], brand=leads["A1"])
    with pytest.raises(ValidationError, match="只能纳入本组织下级"):
        clusters.gather_brand(actor=ladder.sec_ga, lead=leads["GA"], brand=leads["A2"])


def test_only_approved_brands_of_the_own_subtree(ladder, leads):
    org = ladder
    with pytest.raises(ValidationError, match="只能纳入本组织下级"):
        clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["B1"])
    a3 = OrgUnitFactory(parent=org.city_a, name="甲市传输党支部")
    in_review = brand(org, a3, Status.IN_REVIEW, name="审核中")
    with pytest.raises(ValidationError, match="尚未获批立项"):
        clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=in_review)
    with pytest.raises(ValidationError, match="请选择本组织下级党组织的品牌"):
        clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A"])
    assert not ClusterMember.objects.exists()


def test_the_one_brand_must_be_approved(ladder, leads):
    BrandApplication.objects.filter(pk=leads["A"].pk).update(status=Status.IN_REVIEW)
    leads["A"].refresh_from_db()
    with pytest.raises(TransitionError, match="主品牌获批立项后"):
        clusters.gather_brand(actor=ladder.sec_city_a, lead=leads["A"], brand=leads["A1"])


def test_a_brand_belongs_to_one_cluster_and_clusters_do_not_nest(ladder, leads):
    org = ladder
    clusters.gather_brand(actor=org.sec_ga, lead=leads["GA"], brand=leads["A1"])
    with pytest.raises(ValidationError, match="已属于一个品牌集群"):
        clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    with pytest.raises(ValidationError, match="已是其他集群的主品牌"):
        clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["GA"])
    ClusterMember.objects.all().delete()
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["GA"])
    with pytest.raises(TransitionError, match="已属于其他品牌集群"):
        clusters.gather_brand(actor=org.sec_ga, lead=leads["GA"], brand=leads["A1"])
    assert [b.name for b in clusters.cluster_candidates(leads["A"])] == ["红色引擎", "市场尖兵"]


def test_a_member_moved_out_of_the_subtree_leaves_the_cluster(ladder, leads):
    from branches.models import OrgUnit

    org = ladder
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A2"])
    # A1 moves within city A (from its 党总支 to the city itself): it stays
    OrgUnit.objects.move(
        OrgUnit.objects.get(pk=org.a1.pk), OrgUnit.objects.get(pk=org.city_a.pk), "last-child"
    )
    assert ClusterMember.objects.filter(brand=leads["A1"]).exists()
    # A2 moves to city B: it leaves city A's cluster, audited
    OrgUnit.objects.move(
        OrgUnit.objects.get(pk=org.a2.pk), OrgUnit.objects.get(pk=org.city_b.pk), "last-child"
    )
    assert list(ClusterMember.objects.values_list("brand__name", flat=True)) == ["红色引擎"]
    entry = AuditEntry.objects.get(action="release_cluster")
    assert entry.actor is None and "组织调整" in entry.comment


# --- permission matrix ---------------------------------------------------------------------

#: role → may gather into (city A's "1" brand, city B's).
GATHER_MATRIX = {
    "sec_city_a": (True, False),
    "sec_city_b": (False, True),
    "secretary": (False, False),  # branch A1's secretary
    "sec_ga": (False, False),  # below the committee
    "general_branch_reviewer": (False, False),
    "city_reviewer": (False, False),
    "province_reviewer": (False, False),
    "member": (False, False),
}


def _user(org, role):
    return getattr(org, role, None) or org.users[role]


@pytest.mark.parametrize("role", GATHER_MATRIX)
def test_gather_permission_matrix(client, ladder, leads, role):
    org = ladder
    user = _user(org, role)
    for lead_key, member_key, allowed in zip(
        ("A", "B"), ("A2", "B1"), GATHER_MATRIX[role], strict=True
    ):
        lead = leads[lead_key]
        assert user.has_perm("brands.gather_cluster", lead) is allowed, lead_key
        client.force_login(user)
        response = client.post(
            reverse("brands:gather_cluster", args=[lead.pk]), {"brand": leads[member_key].pk}
        )
        assert response.status_code == (302 if allowed else 403), lead_key
        joined = ClusterMember.objects.filter(lead=lead, brand=leads[member_key]).exists()
        assert joined is allowed, lead_key
        if not allowed:
            with pytest.raises(PermissionDenied):
                clusters.gather_brand(actor=user, lead=lead, brand=leads[member_key])


def test_release_refused_to_the_member_and_another_committee(client, ladder, leads):
    org = ladder
    member = clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    for user in (org.users["secretary"], org.sec_city_b, org.users["city_reviewer"]):
        client.force_login(user)
        url = reverse("brands:release_cluster", args=[member.pk])
        assert client.post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            clusters.release_brand(actor=user, member=member)
    client.force_login(org.sec_city_a)
    assert client.post(reverse("brands:release_cluster", args=[member.pk])).status_code == 302
    assert not ClusterMember.objects.exists()


def test_a_refused_gathering_says_why_at_the_field(client, ladder, leads):
    client.force_login(ladder.sec_city_a)
    response = client.post(
        reverse("brands:gather_cluster", args=[leads["A"].pk]), {"brand": leads["B1"].pk}
    )
    body = response.content.decode()
    assert response.status_code == 200  # the page again, the form with its error
    assert 'data-testid="cluster-form"' in body and "选择一个有效的选项" in body
    assert not ClusterMember.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_cluster_on_the_lead_member_and_showcase_pages(client, ladder, leads):
    org = ladder
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["GA"])
    client.force_login(org.sec_city_a)
    body = client.get(reverse("brands:detail", args=[leads["A"].pk])).content.decode()
    assert 'data-testid="cluster-members"' in body and "红色引擎" in body and "网络先锋" in body
    assert 'data-testid="cluster-form"' in body and "市场尖兵" in body  # still to gather
    assert "1 + 2" in body

    client.force_login(org.users["secretary"])  # A1's secretary, on the member's own page
    body = client.get(reverse("brands:detail", args=[leads["A1"].pk])).content.decode()
    assert "属于 甲市分公司党委 的1+N品牌集群" in body and "甲市红色矩阵" in body
    assert 'data-testid="cluster-form"' not in body

    client.force_login(org.users["member"])
    body = client.get(reverse("brands:showcase_detail", args=[leads["A1"].pk])).content.decode()
    assert "属于 甲市分公司党委 的1+N品牌集群" in body
    body = client.get(reverse("brands:showcase_detail", args=[leads["A"].pk])).content.decode()
    assert 'data-testid="cluster-members"' in body and "网络先锋" in body
    # a lead without members shows no empty cluster on the showcase
    body = client.get(reverse("brands:showcase_detail", args=[leads["B"].pk])).content.decode()
    assert 'data-testid="cluster"' not in body

    # the clusters tab: city A shows what it gathered (not A2), city B every brand under it
    city_a, city_b = brand_clusters()[0]
    assert city_a.gathered and [b.name for b in city_a.members] == ["网络先锋", "红色引擎"]
    assert not city_b.gathered and [b.name for b in city_b.members] == ["乙市先锋"]
    body = client.get(reverse("brands:clusters")).content.decode()
    assert body.count('data-testid="cluster-gathered"') == 1


def test_the_form_lists_a_bounded_number_of_candidates_found_by_name(
    client, ladder, leads, monkeypatch
):
    monkeypatch.setattr(clusters, "CANDIDATES_SHOWN", 1)
    client.force_login(ladder.sec_city_a)
    url = reverse("brands:detail", args=[leads["A"].pk])

    def offered(query=""):
        body = client.get(url, {"cluster_q": query} if query else {}).content.decode()
        form = body.split('data-testid="cluster-form"', 1)[1].split("</form>", 1)[0]
        return [n for n in ("红色引擎", "市场尖兵", "网络先锋") if n in form]

    assert offered() == ["网络先锋"]  # the first in tree order (GA before A1, A2)
    assert 'data-testid="shortlist-more"' in client.get(url).content.decode()
    assert offered("市场") == ["市场尖兵"]  # a brand name
    assert offered("运维") == ["红色引擎"]  # a unit name (甲市网络运维党支部)
    # a candidate not listed on the page may still be gathered (the post checks them all)
    response = client.post(
        reverse("brands:gather_cluster", args=[leads["A"].pk]), {"brand": leads["A2"].pk}
    )
    assert response.status_code == 302
    assert ClusterMember.objects.get().brand == leads["A2"]
    # a refused post shows the form again listing the shortlist and the choice, not them all
    body = client.post(
        reverse("brands:gather_cluster", args=[leads["A"].pk]), {"brand": leads["A2"].pk}
    ).content.decode()
    form = body.split('data-testid="cluster-form"', 1)[1].split("</form>", 1)[0]
    assert form.count("<option") == 2  # the empty one and the first candidate


# --- query counts --------------------------------------------------------------------------


def _grow(org, lead, n):
    for _ in range(n):
        unit = OrgUnitFactory(parent=org.city_a, unit_type=UnitType.BRANCH)
        clusters.gather_brand(actor=org.sec_city_a, lead=lead, brand=brand(org, unit))


@pytest.mark.parametrize("which", ["lead_detail", "member_detail", "member_showcase", "tab"])
def test_cluster_pages_do_not_grow_with_members(
    client, ladder, leads, which, django_assert_max_num_queries
):
    org = ladder
    urls = {
        "lead_detail": (org.sec_city_a, reverse("brands:detail", args=[leads["A"].pk])),
        "member_detail": (org.users["secretary"], reverse("brands:detail", args=[leads["A1"].pk])),
        "member_showcase": (
            org.users["member"],
            reverse("brands:showcase_detail", args=[leads["A1"].pk]),
        ),
        "tab": (org.users["member"], reverse("brands:clusters")),
    }
    user, url = urls[which]
    clusters.gather_brand(actor=org.sec_city_a, lead=leads["A"], brand=leads["A1"])
    _grow(org, leads["A"], 1)  # 2 members
    client.force_login(user)
    client.get(url)  # warm the per-process caches (tree, counts)
    with django_assert_max_num_queries(60) as two:
        assert client.get(url).status_code == 200
    at_two = len(two)  # now: the next request resets the connection's query log
    _grow(org, leads["A"], 8)  # 10 members
    client.get(url)
    with django_assert_max_num_queries(at_two):
        body = client.get(url).content.decode()
    expected = {"member_detail": "共 10 个成员品牌", "member_showcase": "共 10 个成员品牌"}
    assert expected.get(which, "1 + 10") in body


# --- concurrency (PostgreSQL) ----------------------------------------------------------------


def test_two_clusters_gathering_one_brand_at_once_exactly_one_wins(transactional_db, postgres):
    """The city and its 党总支 gather A1 at the same moment: the member's row is locked with
    the lead's, so one gathers it and the other is told it already belongs to a cluster."""
    from tests.conftest import run_concurrently
    from tests.factories import Org

    org = Org()
    sec_city_a = grant(UserFactory(username="sec_city_a"), org.city_a, Role.SECRETARY)
    sec_ga = grant(UserFactory(username="sec_ga"), org.general_a, Role.SECRETARY)
    city = brand(org, org.city_a, name="甲市红色矩阵")
    general = brand(org, org.general_a, name="网络先锋")
    a1 = brand(org, org.a1, name="红色引擎")
    results = run_concurrently(
        lambda: clusters.gather_brand(actor=sec_city_a, lead=city, brand=a1),
        lambda: clusters.gather_brand(actor=sec_ga, lead=general, brand=a1),
    )
    winners = [r for r in results if isinstance(r, ClusterMember)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert "已属于一个品牌集群" in str(losers[0])
    assert ClusterMember.objects.get().brand == a1
    assert AuditEntry.objects.filter(action="gather_cluster").count() == 1
