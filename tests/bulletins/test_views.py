"""The 通报导出 pages: who sees, downloads and generates which bulletin.

Bulletins exist for the province, city A and city B, so every reader has one of their own and
one of a sibling that could leak. Readers are the reviewing, flagship-committee and admin roles
held at a committee; secretaries, the general branch and members read none."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from branches.models import Role
from bulletins.models import Bulletin, BulletinStatus
from tests.factories import UserFactory, grant
from tests.permissions import LOGIN, assert_permission_matrix

pytestmark = pytest.mark.smoke

MONTH = date(2025, 5, 1)

READERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}
ADMIN_ONLY = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": 403,
    "general_branch_reviewer": 403,
    "city_reviewer": 403,
    "province_reviewer": 403,
    "committee_member": 403,
    "admin": 200,
}


def done_bulletin(scope, month=MONTH):
    bulletin = Bulletin(month=month, scope=scope, status=BulletinStatus.DONE, progress=100)
    bulletin.xlsx.save(f"{scope.code}.xlsx", ContentFile(b"PK-xlsx"), save=False)
    bulletin.docx.save(f"{scope.code}.docx", ContentFile(b"PK-docx"), save=False)
    bulletin.save()
    return bulletin


@pytest.fixture
def bulletins(org):
    return {
        "province": done_bulletin(org.province),
        "a": done_bulletin(org.city_a),
        "b": done_bulletin(org.city_b),
    }


def test_list_permissions(client, org, bulletins):
    assert_permission_matrix(
        client,
        org,
        lambda target: reverse("bulletins:index"),
        {**READERS, "city_reviewer": 200},
    )


@pytest.mark.parametrize("view", ["detail", "progress"])
def test_bulletin_page_permissions(client, org, bulletins, view):
    assert_permission_matrix(
        client,
        org,
        lambda b: reverse(f"bulletins:{view}", args=[b.pk]),
        READERS,
        own=bulletins["a"],
        other=bulletins["b"],
    )


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_download_permissions(client, org, bulletins, kind):
    assert_permission_matrix(
        client,
        org,
        lambda b: reverse("bulletins:download", args=[b.pk, kind]),
        READERS,
        own=bulletins["a"],
        other=bulletins["b"],
    )


def test_city_reviewer_cannot_read_the_province_bulletin(client, org, bulletins):
    client.force_login(org.users["city_reviewer"])
    url = reverse("bulletins:download", args=[bulletins["province"].pk, "xlsx"])
    assert client.get(url).status_code == 403


def test_generate_confirmation_permissions(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("bulletins:generate", args=[unit.pk, 2025, 5]),
        ADMIN_ONLY,
        own=org.city_a,
        other=org.city_b,
    )


def test_generate_post_permissions(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("bulletins:generate", args=[unit.pk, 2025, 5]),
        {**ADMIN_ONLY, "admin": 302},
        method="post",
        own=org.city_a,
        other=org.city_b,
    )
    # Only the admin's two POSTs made a bulletin.
    assert set(Bulletin.objects.values_list("scope__code", flat=True)) == {"A", "B"}


def test_generate_only_by_post(client, org):
    client.force_login(org.users["admin"])
    url = reverse("bulletins:generate", args=[org.city_a.pk, 2025, 5])
    assert client.get(url).status_code == 200  # the confirmation page
    assert not Bulletin.objects.exists()
    assert client.put(url).status_code == 405


def test_a_city_administrator_generates_for_their_city_only(client, org):
    city_admin = grant(UserFactory(username="admin_a"), org.city_a, Role.ADMIN)
    client.force_login(city_admin)
    statuses = {
        unit.code: client.post(reverse("bulletins:generate", args=[unit.pk, 2025, 5])).status_code
        for unit in (org.city_a, org.city_b, org.province)
    }
    assert statuses == {"A": 302, "B": 403, "P": 403}
    form = client.get(reverse("bulletins:index")).context["generate_form"]
    assert list(form.fields["scope"].queryset) == [org.city_a]


def test_generate_for_a_unit_that_is_not_a_committee_is_404(client, org):
    client.force_login(org.users["admin"])
    assert client.get(reverse("bulletins:generate", args=[org.a1.pk, 2025, 5])).status_code == 404
    assert (
        client.get(reverse("bulletins:generate", args=[org.city_a.pk, 2025, 13])).status_code == 404
    )


def test_the_generate_form_leads_to_the_confirmation(client, org):
    client.force_login(org.users["admin"])
    response = client.get(
        reverse("bulletins:generate_start"), {"month": "2025-05", "scope": org.city_b.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:generate", args=[org.city_b.pk, 2025, 5])
    bad = client.get(
        reverse("bulletins:generate_start"), {"month": "2099-12", "scope": org.city_b.pk}
    )
    assert bad.status_code == 400
    assert "不能生成尚未开始的月份的通报" in bad.content.decode()
    client.force_login(org.users["city_reviewer"])
    assert client.get(reverse("bulletins:generate_start")).status_code == 403


def test_city_reviewer_lists_only_their_city(client, org, bulletins):
    client.force_login(org.users["city_reviewer"])
    response = client.get(reverse("bulletins:index"))
    assert list(response.context["page"]) == [bulletins["a"]]
    page = response.content.decode()
    assert "甲市分公司党委" in page and "乙市分公司党委" not in page
    assert response.context["generate_form"] is None
    # …and cannot widen it by asking for another scope.
    response = client.get(reverse("bulletins:index"), {"scope": org.city_b.pk})
    assert list(response.context["page"]) == [bulletins["a"]]  # the invalid choice is ignored


def test_province_lists_all_and_filters_by_month(client, org, bulletins):
    older = done_bulletin(org.city_a, date(2025, 4, 1))
    client.force_login(org.users["province_reviewer"])
    response = client.get(reverse("bulletins:index"))
    assert len(response.context["page"]) == 4
    response = client.get(reverse("bulletins:index"), {"month": "2025-04"})
    assert list(response.context["page"]) == [older]
    response = client.get(reverse("bulletins:index"), {"scope": org.city_b.pk})
    assert list(response.context["page"]) == [bulletins["b"]]


def test_admin_sees_the_generate_form(client, org, bulletins):
    client.force_login(org.users["admin"])
    page = client.get(reverse("bulletins:index")).content.decode()
    assert 'data-testid="generate-form"' in page


def test_download_is_an_attachment_with_a_chinese_file_name(client, org, bulletins):
    client.force_login(org.users["admin"])
    response = client.get(reverse("bulletins:download", args=[bulletins["a"].pk, "docx"]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition  # 2025年05月品牌建设通报（甲市分公司党委）.docx
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert b"".join(response.streaming_content) == b"PK-docx"


def test_download_before_any_file_exists_is_404(client, org):
    queued = Bulletin.objects.create(month=MONTH, scope=org.city_a)
    client.force_login(org.users["admin"])
    assert client.get(reverse("bulletins:download", args=[queued.pk, "xlsx"])).status_code == 404
    assert client.get(reverse("bulletins:download", args=[queued.pk, "pdf"])).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client, org, django_assert_max_num_queries):
    for month in range(1, 13):
        for scope in (org.province, org.city_a, org.city_b):
            done_bulletin(scope, date(2024, month, 1))
    client.force_login(org.users["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bulletins:index"))
    assert len(response.context["page"]) == 30
