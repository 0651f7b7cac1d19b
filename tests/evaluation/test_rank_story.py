"""One rank story (issue #14, item 7): a branch is shown its place within its category
("2/2"), the same on every page it can open, never a province or region rank; reviewers keep
every rank. Fixture `published`: A1 0.9, A2 0.8 (market), B1 0.7, so B1 is 2nd of the two
production branches, 3rd province-wide and 1st in the south region."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Assessment
from evaluation.selectors.ranks import rank_view, rank_views
from evaluation.services.ranking import refresh_ranks

RANK_TEXT = re.compile(r'data-rank-text="([^"]*)"')
WIDE_WORDS = ("全省排名", "片区排名", 'data-testid="rank-wide"', 'data-testid="rank-province"')


def branch_pages(org, period):
    b1 = Assessment.objects.get(period=period, unit=org.b1)
    return {
        "result": (reverse("evaluation:assessment", args=[b1.pk]), "2/2"),
        "period": (reverse("evaluation:period", args=[period.pk]), "2/2"),
        "trend": (reverse("evaluation:trend", args=[org.b1.pk]), "2/2"),
        "evaluation index": (reverse("evaluation:index"), None),
        "dashboard": (reverse("dashboard"), None),
        "radar": (reverse("evaluation:radar", args=[b1.pk]), None),
    }


def main_part(body: str) -> str:
    return body.split("<main", 1)[-1]


@pytest.mark.parametrize(
    "page", ["result", "period", "trend", "evaluation index", "dashboard", "radar"]
)
def test_a_branch_reads_the_same_rank_everywhere(client, org, published, page):
    client.force_login(org.sec_b1)
    url, expected = branch_pages(org, published)[page]
    response = client.get(url)
    assert response.status_code == 200
    body = main_part(response.content.decode())
    assert RANK_TEXT.findall(body) == ([expected] if expected else [])
    for word in WIDE_WORDS:
        assert word not in body, (page, word)


@pytest.mark.parametrize(
    "route", ["evaluation:rankings", "evaluation:export", "evaluation:export_progress"]
)
def test_a_branch_opens_no_leaderboard_or_ranked_export(client, org, published, route):
    client.force_login(org.sec_b1)
    assert client.get(reverse(route, args=[published.pk])).status_code == 403


def test_the_branch_period_column_is_named_for_what_it_shows(client, org, published):
    client.force_login(org.sec_b1)
    body = client.get(reverse("evaluation:period", args=[published.pk])).content.decode()
    assert "类别内排名" in body and 'data-rank-text="2/2">2/2<' in body


def test_reviewers_keep_every_rank(client, org, published):
    b1 = Assessment.objects.get(period=published, unit=org.b1)
    client.force_login(org.rev_b)
    body = client.get(reverse("evaluation:assessment", args=[b1.pk])).content.decode()
    assert 'data-testid="rank-category">2<' in body and "/ 2（生产类）" in body
    assert "全省排名 3 · 片区排名 1" in body
    body = client.get(reverse("evaluation:period", args=[published.pk])).content.decode()
    assert "全省排名" in body and 'data-rank-text="2/2">3<' in body  # the province rank
    body = client.get(reverse("evaluation:trend", args=[org.b1.pk])).content.decode()
    assert 'data-rank-text="2/2">2<' in body  # the trend's column: within category
    body = client.get(reverse("evaluation:rankings", args=[published.pk])).content.decode()
    assert 'data-testid="rank-province">3<' in body and 'data-testid="rank-region">1<' in body


def test_a_voided_result_shows_the_branch_no_rank_but_the_reviewer_all(client, org, published):
    a1 = Assessment.objects.get(period=published, unit=org.a1)
    Assessment.objects.filter(pk=a1.pk).update(is_vetoed=True, veto_reason="重大违纪")
    refresh_ranks(published.pk)
    a1.refresh_from_db()
    assert rank_view(org.users["secretary"], a1) is None
    # a veto ranks last: after B1
    assert rank_view(org.users["city_reviewer"], a1).text == "2/2"
    client.force_login(org.users["secretary"])
    body = main_part(client.get(reverse("evaluation:assessment", args=[a1.pk])).content.decode())
    assert "一票否决" in body and not RANK_TEXT.findall(body)


def test_who_sees_which_ranks(org, published):
    b1 = Assessment.objects.select_related("unit").get(period=published, unit=org.b1)
    branch = rank_view(org.sec_b1, b1)
    assert (branch.text, branch.province, branch.region, branch.full) == ("2/2", None, None, False)
    for reviewer in (
        org.rev_b,
        org.users["province_reviewer"],
        org.users["committee_member"],
        org.users["admin"],
    ):
        view = rank_view(reviewer, b1)
        assert (view.province, view.region, view.full) == (3, 1, True), reviewer
    # a reviewer of the sibling city has no insight over B1: the branch's story
    assert rank_view(org.users["city_reviewer"], b1).full is False


def test_rank_views_cost_one_query_for_a_page(org, published):
    rows = list(Assessment.objects.filter(period=published).select_related("unit"))
    with CaptureQueriesContext(connection) as queries:
        views = rank_views(org.users["province_reviewer"], rows)
    assert len(queries) == 1 and len(views) == 3


def test_the_size_of_a_category_follows_each_publication(
    org, period, django_capture_on_commit_callbacks
):
    """The "of N" is counted once per publication state, not on every page (at 1,000,000
    branches the count is ~0.5 s), and a later publication is counted at once: A1 is first of
    one production result after city A publishes, first of two once city B publishes B1."""
    from decimal import Decimal

    from evaluation.services import assessments as services
    from evaluation.services import periods as period_services
    from tests.evaluation.conftest import close, fill_and_submit

    for code, secretary, reviewer in [
        ("A1", org.users["secretary"], org.users["city_reviewer"]),
        ("B1", org.sec_b1, org.rev_b),
    ]:
        a = period.assessments.get(unit__code=code)
        fill_and_submit(a, secretary, Decimal("0.9") if code == "A1" else Decimal("0.7"))
        services.accept(actor=reviewer, pk=a.pk)
    close(period)
    publisher = org.users["province_reviewer"]

    def a1_rank():
        a1 = Assessment.objects.select_related("unit").get(period=period, unit=org.a1)
        return rank_view(publisher, a1)

    with django_capture_on_commit_callbacks(execute=True):
        period_services.publish(actor=publisher, pk=period.pk, unit=org.city_a)
    assert a1_rank().text == "1/1"
    a1 = Assessment.objects.select_related("unit").get(period=period, unit=org.a1)
    with CaptureQueriesContext(connection) as queries:
        assert rank_view(publisher, a1).text == "1/1"
    assert len(queries) == 0  # counted once for this publication state

    with django_capture_on_commit_callbacks(execute=True):
        period_services.publish(actor=publisher, pk=period.pk, unit=org.city_b)
    assert a1_rank().text == "1/2"
