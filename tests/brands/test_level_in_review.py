"""当前审核 (the level reviewing it now) is shown only while an application is in review: a
returned or rejected one keeps `current_level` for the record, but nobody is reviewing it."""

import pytest
from django.urls import reverse

from brands import services
from brands.models import Status

from .conftest import CONTENT, png_upload

pytestmark = pytest.mark.smoke


@pytest.fixture
def in_review(org):
    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )
    return services.submit_application(actor=org.users["secretary"], pk=app.pk)


def pages(client, org, app):
    client.force_login(org.users["province_reviewer"])
    detail = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    index = client.get(reverse("brands:index")).content.decode()
    return detail, index


def test_in_review_shows_the_current_level(client, org, in_review):
    detail, _index = pages(client, org, in_review)
    assert f"当前审核：{org.general_a.name}" in detail


@pytest.mark.parametrize("decide", [services.reject_application, services.return_application])
def test_a_decided_application_shows_no_current_level(client, org, in_review, decide):
    app = decide(actor=org.users["general_branch_reviewer"], pk=in_review.pk, comment="不符合要求")
    assert app.status in (Status.REJECTED, Status.RETURNED) and app.current_level_id
    detail, index = pages(client, org, app)
    assert "当前审核" not in detail
    assert 'fw-bold text-danger">' + org.general_a.name not in detail  # not marked in the chain
    assert f"<td>{org.general_a.name}</td>" not in index
