"""A returned brand application's and reshaping's edit forms show the reviewer's return:
who, when (Asia/Shanghai), the comment escaped — the latest return's, not an earlier one; a
draft's form shows none. One query (`workflow.selectors.last_move_into`), none for a draft."""

from datetime import timedelta

from django.urls import reverse

from brands import reshaping as reshapes
from brands import services
from brands.models import Status
from tests.returned import (
    HOSTILE,
    STRADDLING,
    assert_shows_no_return,
    assert_shows_return,
    return_at,
)
from workflow.selectors import last_move_into

from .test_reshaping_views import reshapings  # noqa: F401 (fixture)


def test_returned_application_form_shows_the_latest_return(client, org, submitted):
    reviewer, secretary = org.users["general_branch_reviewer"], org.users["secretary"]
    services.return_application(actor=reviewer, pk=submitted.pk, comment="第一次意见")
    # the first return a day before the second: both are dated, so "latest" holds on any clock
    return_at(submitted, at=STRADDLING - timedelta(days=1))
    services.submit_application(actor=secretary, pk=submitted.pk)
    services.return_application(actor=reviewer, pk=submitted.pk, comment=HOSTILE)
    return_at(submitted)
    client.force_login(secretary)
    body = client.get(reverse("brands:edit", args=[submitted.pk])).content.decode()
    assert_shows_return(body, reviewer)
    assert "第一次意见" not in body


def test_draft_application_form_shows_no_return(client, org, draft):
    client.force_login(org.users["secretary"])
    assert_shows_no_return(client.get(reverse("brands:edit", args=[draft.pk])).content.decode())


def test_returned_reshaping_form_shows_the_return(client, org, reshapings):  # noqa: F811
    reviewer, secretary = org.users["general_branch_reviewer"], org.users["secretary"]
    r = reshapings[org.a1.pk]
    url = reverse("brands:edit_reshaping", args=[r.pk])
    client.force_login(secretary)
    assert_shows_no_return(client.get(url).content.decode())  # still a draft
    reshapes.submit_reshaping(actor=secretary, pk=r.pk)
    reshapes.return_reshaping(actor=reviewer, pk=r.pk, comment=HOSTILE)
    return_at(r)
    assert_shows_return(client.get(url).content.decode(), reviewer)


def test_last_move_into_is_one_query_and_none_for_a_draft(org, draft, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert last_move_into(draft, to_state=Status.RETURNED) is None
    services.submit_application(actor=org.users["secretary"], pk=draft.pk)
    app = services.return_application(
        actor=org.users["general_branch_reviewer"], pk=draft.pk, comment="请补充"
    )
    with django_assert_num_queries(1):
        entry = last_move_into(app, to_state=Status.RETURNED)
    assert entry.comment == "请补充" and entry.actor == org.users["general_branch_reviewer"]
