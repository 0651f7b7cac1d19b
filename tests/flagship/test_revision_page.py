"""历史版本 of a candidacy: each submitted revision opens read-only, as submitted, to whoever
may read the candidacy (issue #14: old revisions could not be opened)."""

import pytest
from django.urls import reverse

from flagship.services import candidacy as services
from tests.permissions import LOGIN, assert_permission_matrix
from tests.revisions import assert_unknown_revision_is_404, first_revision, linked_revisions

from .conftest import approvers, pdf_upload, secretary_of

SEES_CANDIDACY = {
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
def revised(org, open_cycle):
    """A1's and B1's candidacies: submitted with a file, returned, changed, submitted again."""
    found = {}
    for unit in (org.a1, org.b1):
        secretary = secretary_of(org, unit)
        c = services.save_candidacy_draft(
            actor=secretary,
            cycle=open_cycle,
            unit=unit,
            data={"actual_practices": "党员先锋岗24小时值守", "highlights": "故障处理提速"},
        )
        services.add_attachment(actor=secretary, candidacy=c, upload=pdf_upload("申报书.pdf"))
        c = services.submit_candidacy(actor=secretary, pk=c.pk)
        c = services.return_candidacy(
            actor=approvers(org, unit)[0], pk=c.pk, comment="请补充成效数据"
        )
        c = services.save_candidacy_draft(
            actor=secretary, candidacy=c, data={"highlights": "补充了工单数据"}
        )
        found[unit.code] = services.submit_candidacy(actor=secretary, pk=c.pk)
    return found


def test_revision_matrix_follows_the_candidacy(client, org, revised):
    assert_permission_matrix(
        client, org, first_revision("flagship:revision", revised), SEES_CANDIDACY
    )


def test_each_revision_is_linked_and_opens_as_submitted(client, org, revised):
    c = revised["A1"]
    page = linked_revisions(
        client, org, c, detail_route="flagship:candidacy", revision_route="flagship:revision"
    )
    assert "张书记" in page
    assert "故障处理提速" in page and "补充了工单数据" not in page
    assert "申报书.pdf" in page and 'data-testid="brand-elements"' in page
    second = reverse("flagship:revision", args=[c.revisions.get(number=2).pk])
    assert "补充了工单数据" in client.get(second).content.decode()


def test_an_unknown_revision_is_404(client, org):
    assert_unknown_revision_is_404(client, org, "flagship:revision")
