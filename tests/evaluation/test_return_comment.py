"""A returned self-assessment's fill page shows who returned it, when (Asia/Shanghai) and the
comment, escaped; a draft's shows none."""

from django.urls import reverse

from evaluation.services import assessments as services
from tests.returned import HOSTILE, assert_shows_no_return, assert_shows_return, return_at

from .conftest import fill_and_submit


def test_returned_self_assessment_shows_the_return(client, org, a1):
    secretary, reviewer = org.users["secretary"], org.users["city_reviewer"]
    url = reverse("evaluation:fill", args=[a1.pk])
    client.force_login(secretary)
    assert_shows_no_return(client.get(url).content.decode())
    fill_and_submit(a1, secretary)
    services.return_for_revision(actor=reviewer, pk=a1.pk, comment=HOSTILE)
    return_at(a1)
    assert_shows_return(client.get(url).content.decode(), reviewer)
