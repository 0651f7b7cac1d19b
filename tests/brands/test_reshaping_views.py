"""品牌重塑 pages: who may start, see, edit and decide a reshaping (own vs other subtree), the
brand page's panel and history, the queue's list, and their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Role
from brands import reshaping as reshapes
from brands.models import BrandApplication, Reshaping, ReshapingStatus, Status
from tests.factories import OrgUnitFactory, UserFactory, grant
from tests.permissions import assert_permission_matrix

from .conftest import CONTENT
from .test_reshaping import CHAIN, approve_all


def approved_brand(unit, secretary, name=None):
    """An approved brand (实施推进) made directly: the pages only read it."""
    return BrandApplication.objects.create(
        unit=unit,
        applicant=secretary,
        status=Status.IMPLEMENTING,
        revision_number=1,
        logo="brands/logos/x.png",
        **{**CONTENT, "name": name or CONTENT["name"]},
    )


@pytest.fixture
def reshapings(org):
    """A reshaping of A1's brand and one of B1's, both drafts."""
    own = approved_brand(org.a1, org.users["secretary"])
    other = approved_brand(org.b1, org.sec_b1, name="乙市品牌")
    return {
        org.a1.pk: reshapes.start_reshaping(actor=org.users["secretary"], application=own),
        org.b1.pk: reshapes.start_reshaping(actor=org.sec_b1, application=other),
    }


SEEN_IN_SCOPE = {
    "anonymous": 302,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}


def test_detail_matrix(client, org, reshapings):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:reshaping", args=[reshapings[unit.pk].pk]),
        SEEN_IN_SCOPE,
    )


def test_edit_matrix(client, org, reshapings):
    """The holder edits; whoever else sees it is sent back to its page; others get 403."""
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:edit_reshaping", args=[reshapings[unit.pk].pk]),
        {**SEEN_IN_SCOPE, **dict.fromkeys(CHAIN[:2], (302, 403)), "secretary": (200, 403)}
        | dict.fromkeys(("province_reviewer", "committee_member", "admin"), 302),
    )


def test_start_matrix(client, org):
    """POST …/reshape/: only the holder starts (a new reshaping each time it is allowed)."""
    brands = {
        org.a1.pk: approved_brand(org.a1, org.users["secretary"]),
        org.b1.pk: approved_brand(org.b1, org.sec_b1, name="乙市品牌"),
    }
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:start_reshaping", args=[brands[unit.pk].pk]),
        {
            "anonymous": 302,
            "member": 403,
            "secretary": (302, 403),
            "general_branch_reviewer": (403, 403),
            "city_reviewer": (403, 403),
            "province_reviewer": 403,
            "committee_member": 403,
            "admin": 403,
        },
        method="post",
    )
    assert list(Reshaping.objects.values_list("application__unit", flat=True)) == [org.a1.pk]


def test_decide_matrix(client, org, reshapings):
    """Approving at GA: only GA's reviewer; everyone else is refused with a message (or 403
    outside their scope), and the reshaping stays where it was."""
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=reshapings[org.a1.pk].pk)
    url = reverse("brands:act_reshaping", args=[r.pk, "approve"])
    version = reshapes.RESHAPING.version_of(r)
    for role in ("secretary", "city_reviewer", "province_reviewer", "admin"):
        client.force_login(org.users[role])
        response = client.post(url, {"expected_version": version}, follow=True)
        assert "您没有权限" in response.content.decode(), role
    client.force_login(org.sec_b1)
    assert client.post(url, {"expected_version": version}).status_code == 403
    assert Reshaping.objects.get(pk=r.pk).current_level == org.general_a
    client.force_login(org.users["general_branch_reviewer"])
    response = client.post(url, {"expected_version": version}, follow=True)
    assert "操作成功" in response.content.decode()
    assert Reshaping.objects.get(pk=r.pk).current_level == org.city_a


def test_brand_page_offers_reshaping_to_the_holder_only(client, org):
    brand = approved_brand(org.a1, org.users["secretary"])
    url = reverse("brands:detail", args=[brand.pk])
    client.force_login(org.users["secretary"])
    assert 'data-testid="start-reshaping"' in client.get(url).content.decode()
    client.force_login(org.users["city_reviewer"])
    assert 'data-testid="start-reshaping"' not in client.get(url).content.decode()
    brand.status = Status.DRAFT
    brand.save()
    client.force_login(org.users["secretary"])
    assert 'data-testid="start-reshaping"' not in client.get(url).content.decode()


def test_full_reshaping_through_the_pages(client, org, submitted):
    brand = approve_all(org, submitted.pk)
    client.force_login(org.users["secretary"])
    response = client.post(reverse("brands:start_reshaping", args=[brand.pk]))
    r = Reshaping.objects.get()
    assert response.url == reverse("brands:edit_reshaping", args=[r.pk])
    form = {**CONTENT, "measures_text": "\n".join(CONTENT["measures"])}
    response = client.post(
        response.url, {**form, "name": "红色引擎2.0", "reason": "深化内涵", "submit": "1"}
    )
    assert response.url == reverse("brands:reshaping", args=[r.pk])
    page = client.get(response.url).content.decode()
    assert "重塑审核中" in page and 'data-testid="brand-still-valid"' in page
    assert "<ins>2.0</ins>" in page  # the application's diff, reused
    # the brand page still shows the approved brand, and the reshaping on its way
    page = client.get(reverse("brands:detail", args=[brand.pk])).content.decode()
    assert 'data-testid="live-reshaping"' in page and '<h1 class="h4 mb-1">红色引擎 ' in page
    approve_all(org, r.pk, reshapes.approve_reshaping)
    page = client.get(reverse("brands:detail", args=[brand.pk])).content.decode()
    assert "红色引擎2.0" in page and 'data-testid="reshaped-revision"' in page
    assert "品牌重塑获通过" in page  # the brand's own timeline
    assert org.users["province_reviewer"].full_name in page  # who approved, in the history
    assert Reshaping.objects.get().status == ReshapingStatus.APPROVED
    # its submitted versions read back, and its logo, to whoever sees it
    rev = r.revisions.get()
    page = client.get(reverse("brands:reshaping_revision", args=[rev.pk])).content.decode()
    assert "红色引擎2.0" in page
    assert client.get(reverse("brands:reshaping_logo", args=[r.pk])).status_code == 200
    client.force_login(org.sec_b1)
    assert client.get(reverse("brands:reshaping_revision", args=[rev.pk])).status_code == 403


def _reshaped_brands(org, n):
    """n approved brands in city A, each with a reshaping in review at GA."""
    made = []
    holder = grant(UserFactory(username="sec_ga"), org.general_a, Role.SECRETARY)
    for _ in range(n):
        unit = OrgUnitFactory(parent=org.general_a, code=f"RS{Reshaping.objects.count()}")
        brand = approved_brand(unit, holder, name=f"品牌{unit.code}")
        r = reshapes.start_reshaping(actor=holder, application=brand)
        made.append(reshapes.submit_reshaping(actor=holder, pk=r.pk))
    return made


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_lists_reshapings_in_constant_queries(client, org):
    client.force_login(org.users["general_branch_reviewer"])
    url = reverse("brands:queue")
    first = _reshaped_brands(org, 1)
    one = _queries(client, url)
    _reshaped_brands(org, 4)
    assert _queries(client, url) == one
    assert reverse("brands:reshaping", args=[first[0].pk]) in client.get(url).content.decode()
    client.force_login(org.users["city_reviewer"])  # not their level yet
    assert reverse("brands:reshaping", args=[first[0].pk]) not in client.get(url).content.decode()


def test_brand_page_history_in_constant_queries(client, org):
    brand = approved_brand(org.a1, org.users["secretary"])
    client.force_login(org.users["secretary"])
    url = reverse("brands:detail", args=[brand.pk])

    def reshape_and_reject():
        r = reshapes.start_reshaping(actor=org.users["secretary"], application=brand)
        r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
        reshapes.reject_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk, comment="否")

    reshape_and_reject()
    one = _queries(client, url)
    for _ in range(3):
        reshape_and_reject()
    assert _queries(client, url) == one


def test_dashboard_counts_reshapings_while_some_wait(client, org):
    client.force_login(org.users["general_branch_reviewer"])
    assert "品牌重塑待审" not in client.get(reverse("dashboard")).content.decode()
    _reshaped_brands(org, 2)
    body = client.get(reverse("dashboard")).content.decode()
    assert "品牌重塑待审" in body
    client.force_login(org.users["city_reviewer"])  # nothing at the city's level yet
    assert "品牌重塑待审" not in client.get(reverse("dashboard")).content.decode()


def test_dashboard_lists_a_returned_reshaping_for_its_holder(client, org, reshapings):
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=reshapings[org.a1.pk].pk)
    reshapes.return_reshaping(actor=org.users["general_branch_reviewer"], pk=r.pk, comment="再凝练")
    client.force_login(org.users["secretary"])
    body = client.get(reverse("dashboard")).content.decode()
    assert "品牌重塑“红色引擎”被退回修改" in body and "再凝练" in body
    assert reverse("brands:edit_reshaping", args=[r.pk]) in body
    client.force_login(org.sec_b1)
    assert "品牌重塑“红色引擎”" not in client.get(reverse("dashboard")).content.decode()


def test_admin_lists_reshapings_read_only(client, org, reshapings):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("admin:brands_reshaping_changelist")).status_code == 200
    r = reshapings[org.a1.pk]
    assert client.get(reverse("admin:brands_reshaping_change", args=[r.pk])).status_code == 200
    assert client.get(reverse("admin:brands_reshaping_add")).status_code == 403
