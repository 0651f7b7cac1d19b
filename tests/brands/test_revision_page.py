"""历史版本: each submitted revision opens read-only, to whoever may see the application."""

import pytest

from brands import services
from tests.permissions import LOGIN, assert_permission_matrix
from tests.revisions import assert_unknown_revision_is_404, first_revision, linked_revisions

from .conftest import CONTENT, png_upload

pytestmark = pytest.mark.smoke

SEES_APPLICATION = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}


@pytest.fixture
def revised(org):
    """A1's and B1's applications, each submitted, returned, changed and submitted again."""
    apps = {}
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        app = services.save_application_draft(
            actor=secretary, unit=unit, data=CONTENT, logo=png_upload()
        )
        app = services.submit_application(actor=secretary, pk=app.pk)
        reviewer = org.users["general_branch_reviewer"] if unit == org.a1 else org.rev_b
        app = services.return_application(actor=reviewer, pk=app.pk, comment="请细化举措")
        changed = {**CONTENT, "goal": "两年内故障时长下降50%", "measures": ["设立党员先锋岗"]}
        services.save_application_draft(actor=secretary, application=app, data=changed)
        apps[unit.code] = services.submit_application(actor=secretary, pk=app.pk)
    return apps


def test_revision_matrix_follows_the_application(client, org, revised):
    assert_permission_matrix(
        client, org, first_revision("brands:revision", revised), SEES_APPLICATION
    )


def test_the_list_links_each_revision_to_its_content_as_submitted(client, org, revised):
    page = linked_revisions(
        client, org, revised["A1"], detail_route="brands:detail", revision_route="brands:revision"
    )
    assert CONTENT["goal"] in page and "两年内故障时长下降50%" not in page
    assert "开展技术攻关" in page  # a measure dropped in the second version


def test_an_unknown_revision_is_404(client, org):
    assert_unknown_revision_is_404(client, org, "brands:revision")


def test_the_detail_page_reads_the_revisions_once(client, org, revised):
    """The list of revisions and the diff since the return come from the same query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(org.users["general_branch_reviewer"])
    url = reverse("brands:detail", args=[revised["A1"].pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and "两年内故障时长下降50%" in response.content.decode()
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "brands_revision"' in q["sql"]]
    assert len(reads) == 1, reads
