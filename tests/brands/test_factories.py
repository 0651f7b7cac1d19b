"""The brands factory builds a valid application that the pages list like a filed one."""

from django.urls import reverse

from brands.models import Status
from brands.services import missing_elements
from tests.factories import BrandApplicationFactory


def test_a_factory_brand_is_valid_complete_but_the_logo_and_listed(org, client):
    app = BrandApplicationFactory(
        unit=org.a1, applicant=org.users["secretary"], status=Status.IMPLEMENTING
    )
    app.full_clean()
    assert missing_elements(app) == ["品牌标识"]
    client.force_login(org.users["city_reviewer"])
    page = client.get(reverse("brands:index"))
    assert page.status_code == 200
    assert app.name in page.content.decode()
